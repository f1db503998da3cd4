"""A local fake of Microsoft Entra ID v2.0 and Microsoft Graph v1.0, for tests.

In-process (pytest fixtures in tests/fakes/fixtures.py)::

    fake.register_redirect_uri("http://testserver/oauth/microsoft/callback")
    fake.sign_in_as("alice")              # who /authorize signs in
    fake.fail_next_token(error="invalid_grant", code=70000)

As a process (prints one JSON line with its URL and the server's MICROSOFT_* variables)::

    python -m tests.fakes.microsoft --port 8400 --seed default \
        --redirect-uri http://127.0.0.1:8000/oauth/microsoft/callback --sign-in alice
"""

from __future__ import annotations

import argparse
import json
import secrets
import signal
import threading
from collections.abc import Iterable
from functools import partial
from types import TracebackType
from typing import Any, Literal

from tests.fakes import (
    aadsts,
    entra,
    entra_token,
    graph_calendar,
    graph_contacts,
    graph_mail,
    graph_teams,
    graph_users,
)
from tests.fakes.aadsts import EntraError
from tests.fakes.control import control_routes
from tests.fakes.graph import GraphRoute, graph_serve
from tests.fakes.people import (
    ALICE,
    APP_CLIENT_ID,
    APP_DISPLAY_NAME,
    BOB,
    CAST,
    CONTOSO,
    OUTSIDER,
    App,
    Person,
    person_named,
)
from tests.fakes.scopes import OIDC_SCOPES, scope_parse
from tests.fakes.server import HttpServer, Request, Response, Router, route
from tests.fakes.state import (
    SEEDS,
    AuthorizeRecord,
    Collections,
    FakeState,
    GraphFailure,
    GraphRecord,
    Knobs,
    TokenFailure,
    TokenRecord,
)

# Every Graph endpoint the fake serves; add a module's ROUTES here, and its seed below.
GRAPH_ROUTES: tuple[GraphRoute, ...] = (
    *graph_users.ROUTES,
    *graph_mail.ROUTES,
    *graph_calendar.ROUTES,
    *graph_contacts.ROUTES,
    *graph_teams.ROUTES,
)
GRAPH_SEEDS = (graph_mail.seed, graph_calendar.seed, graph_contacts.seed, graph_teams.seed)


def _seeded_mailboxes(person: Person) -> Collections:
    """--seed default: every module's seeded data for this person."""
    collections: Collections = {}
    for seed in GRAPH_SEEDS:
        collections.update(seed(person))
    return collections


SEEDS["default"] = _seeded_mailboxes


class FakeMicrosoft:
    alice, bob, outsider = ALICE, BOB, OUTSIDER
    tenant = CONTOSO  # alice's and bob's; the outsider's is people.FABRIKAM

    def __init__(
        self,
        *,
        port: int = 0,
        client_id: str = APP_CLIENT_ID,
        client_secret: str | None = None,
        seed: str = "default",
        graph_routes: tuple[GraphRoute, ...] = GRAPH_ROUTES,
    ) -> None:
        secret = client_secret or secrets.token_urlsafe(32)
        self.state = FakeState(app=App(client_id.lower(), secret, APP_DISPLAY_NAME), seed=seed)
        self._http = HttpServer(self._router(graph_routes), port=port)
        self.state.url = self._http.url

    def _router(self, graph_routes: tuple[GraphRoute, ...]) -> Router:
        state = self.state

        def graph(request: Request, params: dict[str, str]) -> Response:
            return graph_serve(state, request, params["rest"], graph_routes)

        return Router(
            [
                route(None, "/v1.0/{rest*}", graph),
                *control_routes(state),
                route(
                    "GET",
                    "/{tenant}/v2.0/.well-known/openid-configuration",
                    partial(entra.discovery, state),
                ),
                route("GET", "/{tenant}/discovery/v2.0/keys", partial(entra.keys, state)),
                route("GET", "/{tenant}/oauth2/v2.0/authorize", partial(entra.authorize, state)),
                route("POST", "/{tenant}/oauth2/v2.0/token", partial(entra_token.token, state)),
                route("GET", "/{tenant}/oauth2/v2.0/logout", partial(entra.logout, state)),
            ]
        )

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeMicrosoft:
        self._http.start()
        return self

    def stop(self) -> None:
        self._http.stop()

    def __enter__(self) -> FakeMicrosoft:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def reset(self) -> None:
        """Forget every code, token, consent, failure, record and redirect URI."""
        self.state.reset()

    # --- what the server under test is configured with ---------------------------------------

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``: both the login and the Graph host."""
        return self.state.url

    @property
    def client_id(self) -> str:
        return self.state.app.client_id

    @property
    def client_secret(self) -> str:
        return self.state.app.client_secret

    def env(self, *, tenant_id: str = "organizations") -> dict[str, str]:
        """The variables that point a server subprocess at this fake."""
        return {
            "MICROSOFT_LOGIN_URL": self.url,
            "MICROSOFT_GRAPH_URL": self.url,
            "MICROSOFT_CLIENT_ID": self.client_id,
            "MICROSOFT_CLIENT_SECRET": self.client_secret,
            "MICROSOFT_TENANT_ID": tenant_id,
        }

    @property
    def knobs(self) -> Knobs:
        """Token lifetime, latency, scope spelling, strictness; see state.Knobs."""
        return self.state.knobs

    # --- the app registration and the browser session ----------------------------------------

    def register_redirect_uri(self, uri: str) -> None:
        with self.state.lock:
            self.state.redirect_uris.add(uri)

    def sign_in_as(self, person: Person | str | None) -> None:
        """Who /authorize signs in (None: nobody; a login_hint may then name someone)."""
        with self.state.lock:
            self.state.signed_in = person_named(person) if person is not None else None

    def sign_out(self) -> None:
        self.sign_in_as(None)

    # --- consent and tokens ------------------------------------------------------------------

    def grant(self, person: Person | str, permissions: Iterable[str]) -> None:
        """Record consent to Graph permissions, as if the person had approved them."""
        requested = scope_parse(" ".join(permissions)).permissions
        with self.state.lock:
            self.state.consents[person_named(person).key] |= requested

    def granted(self, person: Person | str) -> frozenset[str]:
        with self.state.lock:
            return frozenset(self.state.consents[person_named(person).key])

    def issue_tokens(self, person: Person | str, permissions: Iterable[str]) -> dict[str, Any]:
        """A token response for the person, without the browser flow (consents first)."""
        self.grant(person, permissions)
        with self.state.lock:
            return entra_token.tokens_issue(
                self.state, person=person_named(person), oidc=frozenset(OIDC_SCOPES)
            )

    def revoke_refresh_tokens(self, person: Person | str) -> None:
        """As after a password reset: refresh gets invalid_grant AADSTS50173 (bad_token)."""
        self._refresh_tokens_mark(person, "revoked")

    def expire_refresh_tokens(self, person: Person | str) -> None:
        """As after 90 idle days: refresh gets invalid_grant AADSTS700082."""
        self._refresh_tokens_mark(person, "expired")

    def _refresh_tokens_mark(
        self, person: Person | str, status: Literal["revoked", "expired"]
    ) -> None:
        key = person_named(person).key
        with self.state.lock:
            for grant in self.state.refresh_tokens.values():
                if grant.person.key == key:
                    grant.status = status

    def expire_access_tokens(self, person: Person | str) -> None:
        """Graph then answers 401 InvalidAuthenticationToken for this person's tokens."""
        key = person_named(person).key
        with self.state.lock:
            for grant in self.state.access_tokens.values():
                if grant.person.key == key:
                    grant.expires_at = 0.0

    def expire_client_secret(self) -> None:
        """The app's client secret has passed its end date: every grant gets AADSTS7000222."""
        with self.state.lock:
            self.state.client_secret_expired = True

    def expire_codes(self) -> None:
        """Every unredeemed code is past its ten minutes: redemption gets AADSTS70008."""
        with self.state.lock:
            for grant in self.state.codes.values():
                grant.expires_at = 0.0

    # --- failure injection -------------------------------------------------------------------

    def fail_next_authorize(self, failure: str | EntraError = "user_declined") -> None:
        """The next authorization the person reaches ends in this error redirect.

        Named failures: see ``aadsts.AUTHORIZE_FAILURES`` (user_declined, consent_required,
        admin_approval, interaction_required, conditional_access, login_required, …).
        """
        error = aadsts.AUTHORIZE_FAILURES[failure] if isinstance(failure, str) else failure
        with self.state.lock:
            self.state.authorize_failures.append(error)

    def fail_next_token(
        self,
        *,
        error: str = "invalid_grant",
        code: int = 70000,
        message: str = "Provided grant is invalid or malformed.",
        status: int = 400,
        suberror: str | None = None,
        grant_type: str | None = None,
    ) -> None:
        """The next token request (of ``grant_type``, if given) fails with this error."""
        failure = EntraError(error, code, message, status=status, suberror=suberror)
        with self.state.lock:
            self.state.token_failures.append(TokenFailure(failure, grant_type))

    def fail_next_graph(
        self,
        *,
        status: int = 429,
        code: str = "TooManyRequests",
        message: str = "Please retry again later.",
        headers: dict[str, str] | None = None,
        path: str | None = None,
    ) -> None:
        """The next authorized Graph request (whose path contains ``path``) fails."""
        extra = {"Retry-After": "2"} if headers is None and status == 429 else headers or {}
        with self.state.lock:
            self.state.graph_failures.append(GraphFailure(status, code, message, extra, path))

    # --- what happened -----------------------------------------------------------------------

    @property
    def authorize_requests(self) -> list[AuthorizeRecord]:
        with self.state.lock:
            return list(self.state.authorize_records)

    @property
    def token_requests(self) -> list[TokenRecord]:
        with self.state.lock:
            return list(self.state.token_records)

    @property
    def graph_requests(self) -> list[GraphRecord]:
        with self.state.lock:
            return list(self.state.graph_records)

    def graph_data(self, person: Person | str) -> Collections:
        """The person's Graph collections (live: a test may seed or inspect them)."""
        return self.state.graph_data[person_named(person).key]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tests.fakes.microsoft",
        description="Serve a fake Microsoft Entra ID + Graph on 127.0.0.1 until stopped.",
    )
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--seed", choices=sorted(SEEDS), default="default")
    parser.add_argument("--client-id", default=APP_CLIENT_ID)
    parser.add_argument("--client-secret", help="default: a random one, printed at start")
    parser.add_argument("--redirect-uri", action="append", default=[], help="repeatable")
    parser.add_argument("--sign-in", choices=sorted(CAST), help="who /authorize signs in")
    parser.add_argument("--tenant-id", default="organizations", help="for the printed env")
    args = parser.parse_args(argv)
    fake = FakeMicrosoft(
        port=args.port, client_id=args.client_id, client_secret=args.client_secret, seed=args.seed
    )
    for uri in args.redirect_uri:
        fake.register_redirect_uri(uri)
    if args.sign_in:
        fake.sign_in_as(args.sign_in)
    stopped = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopped.set())
    with fake:
        # The one line a parent process reads; the secret is this fake's throwaway credential.
        print(json.dumps({"url": fake.url, "env": fake.env(tenant_id=args.tenant_id)}), flush=True)
        stopped.wait()


if __name__ == "__main__":
    main()

"""A minimal OAuth client for the fake's own tests: authorize, redeem, refresh, call Graph."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx2

from tests.fakes.microsoft import FakeMicrosoft
from tests.fakes.tokens import s256

CALLBACK = "http://127.0.0.1:8000/oauth/microsoft/callback"
SIGN_IN_SCOPE = "openid profile email offline_access User.Read"


def new_verifier() -> str:
    return secrets.token_urlsafe(48)  # 64 characters, within RFC 7636's 43-128


def authorize(
    fake: FakeMicrosoft, *, tenant: str = "organizations", verifier: str = "", **overrides: str
) -> httpx2.Response:
    """GET /authorize as our server sends it; an override of "" drops that parameter."""
    params = {
        "client_id": fake.client_id,
        "response_type": "code",
        "redirect_uri": CALLBACK,
        "response_mode": "query",
        "scope": SIGN_IN_SCOPE,
        "state": "state-1",
        "nonce": "nonce-1",
        "code_challenge": s256(verifier or new_verifier()),
        "code_challenge_method": "S256",
        **overrides,
    }
    sent = {name: value for name, value in params.items() if value}
    return httpx2.get(f"{fake.url}/{tenant}/oauth2/v2.0/authorize", params=sent)


def redirect_params(response: httpx2.Response) -> dict[str, str]:
    assert response.status_code == 302, response.text
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK
    return dict(parse_qsl(location.query))


def sign_in(
    fake: FakeMicrosoft, person: str = "alice", *, scope: str = SIGN_IN_SCOPE
) -> tuple[str, str]:
    """Sign the person in and return (code, verifier)."""
    fake.register_redirect_uri(CALLBACK)
    fake.sign_in_as(person)
    verifier = new_verifier()
    params = redirect_params(authorize(fake, verifier=verifier, scope=scope))
    return params["code"], verifier


def redeem(fake: FakeMicrosoft, code: str, verifier: str, **overrides: str) -> httpx2.Response:
    """POST the code to /token with client_secret_post; an override of "" drops a field."""
    form = {
        "client_id": fake.client_id,
        "client_secret": fake.client_secret,
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": CALLBACK,
        "code_verifier": verifier,
        **overrides,
    }
    return token_post(fake, {name: value for name, value in form.items() if value})


def refresh(fake: FakeMicrosoft, refresh_token: str, **overrides: str) -> httpx2.Response:
    form = {
        "client_id": fake.client_id,
        "client_secret": fake.client_secret,
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
        **overrides,
    }
    return token_post(fake, {name: value for name, value in form.items() if value})


def token_post(
    fake: FakeMicrosoft,
    form: dict[str, str],
    *,
    tenant: str = "organizations",
    headers: dict[str, str] | None = None,
) -> httpx2.Response:
    return httpx2.post(
        f"{fake.url}/{tenant}/oauth2/v2.0/token", data=form, headers=headers or {}, timeout=30
    )


def signed_in_tokens(fake: FakeMicrosoft, person: str = "alice") -> dict[str, object]:
    code, verifier = sign_in(fake, person)
    response = redeem(fake, code, verifier)
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def access_token(fake: FakeMicrosoft, person: str, permissions: list[str]) -> str:
    """An access token of ``person`` for ``permissions``, issued without the browser flow."""
    return str(fake.issue_tokens(person, permissions)["access_token"])


def graph_call(
    fake: FakeMicrosoft, token: str, method: str, path: str, body: Any = None, **params: str
) -> httpx2.Response:
    """A Graph request with ``token``: ``body`` sent as JSON, ``params`` as the query."""
    return httpx2.request(
        method,
        f"{fake.url}/v1.0{path}",
        params=params,
        json=body,
        headers={"Authorization": f"Bearer {token}"},
    )


def graph_error(response: httpx2.Response) -> tuple[int, str]:
    """A Graph error answer's status and code."""
    return response.status_code, response.json()["error"]["code"]


def graph_get(fake: FakeMicrosoft, path: str, token: str, **headers: str) -> httpx2.Response:
    return httpx2.get(
        f"{fake.url}/v1.0{path}", headers={"Authorization": f"Bearer {token}", **headers}
    )

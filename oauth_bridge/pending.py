"""Authorization requests waiting for the person: kept in the browser's server-side session.

The consent form and the Entra round trip carry only an opaque handle; everything the code
will be issued for (client, redirect URI, PKCE challenge, scopes, resource) stays on the
server, so nothing a browser sends back can widen it.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from django.http import HttpRequest

from oauth_bridge.entra import SignInRequest, secret_matches

PENDING_KEY = "oauth_bridge.pending"
SIGN_IN_KEY = "oauth_bridge.sign_in"
PENDING_LIFETIME_SECONDS = 10 * 60
MAX_PENDING = 5  # per browser; older requests are dropped
CREDENTIAL_KEYS = (
    "client_id",
    "redirect_uri",
    "response_type",
    "state",
    "code_challenge",
    "code_challenge_method",
)


@dataclass
class PendingAuthorization:
    client_id: str
    scopes: list[str]
    credentials: dict[str, Any]
    handle: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    created_at: float = field(default_factory=time.time)

    @property
    def expired(self) -> bool:
        return time.time() - self.created_at > PENDING_LIFETIME_SECONDS


def pending_store(request: HttpRequest, pending: PendingAuthorization) -> None:
    entries = [e for e in request.session.get(PENDING_KEY, []) if e["handle"] != pending.handle]
    request.session[PENDING_KEY] = [*entries, asdict(pending)][-MAX_PENDING:]


def pending_take(request: HttpRequest, handle: str) -> PendingAuthorization | None:
    """Remove and return the pending request ``handle``: each is used once."""
    entries = request.session.get(PENDING_KEY, [])
    found = next((e for e in entries if secret_matches(handle, e["handle"])), None)
    if found is None:
        return None
    request.session[PENDING_KEY] = [e for e in entries if e is not found]
    pending = PendingAuthorization(**found)
    return None if pending.expired else pending


@dataclass
class PendingSignIn:
    """An Entra sign-in in flight: stored only after the person consented (MCP security
    best practices, "Confused Deputy": state is set after consent, single use, short-lived)."""

    sign_in: dict[str, str]
    pending: dict[str, Any]
    permissions: list[str]
    created_at: float = field(default_factory=time.time)

    @property
    def request(self) -> SignInRequest:
        return SignInRequest(**self.sign_in)


def sign_in_store(
    request: HttpRequest,
    *,
    sign_in: SignInRequest,
    pending: PendingAuthorization,
    permissions: list[str],
) -> None:
    request.session[SIGN_IN_KEY] = asdict(
        PendingSignIn(sign_in=asdict(sign_in), pending=asdict(pending), permissions=permissions)
    )


def sign_in_take(request: HttpRequest, state: str) -> PendingSignIn | None:
    """The sign-in whose ``state`` came back, if it is this browser's, fresh and unused."""
    stored = request.session.pop(SIGN_IN_KEY, None)
    if not stored or not state:
        return None
    sign_in = PendingSignIn(**stored)
    if not secret_matches(state, sign_in.sign_in["state"]):
        return None
    if time.time() - sign_in.created_at > PENDING_LIFETIME_SECONDS:
        return None
    return sign_in

"""Microsoft's token endpoint, as graph_tools uses it: reading token responses, refreshing.

Entra's answers are network input: sizes are bounded, types checked, and errors become
``MicrosoftTokenError`` carrying Entra's error code, AADSTS number and first description line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeGuard
from urllib.parse import urlencode

import requests
from django.conf import settings
from oauthlib.oauth2.rfc6749.errors import OAuth2Error
from requests_oauthlib import OAuth2Session

from graph_tools.errors import MicrosoftTokenError

# (connect, read) seconds: well inside the refresh lease (services.CLAIM_SECONDS).
HTTP_TIMEOUT_SECONDS = (5, 10)
MAX_RESPONSE_BYTES = 256 * 1024
MAX_TOKEN_CHARACTERS = 32 * 1024  # Entra tokens are a few kilobytes; this bounds abuse only
MAX_EXPIRES_IN = 7 * 24 * 3600
AADSTS = re.compile(r"\bAADSTS(\d{1,9})\b")
# Configured authorities that name no single tenant (Microsoft identity platform endpoints).
MULTI_TENANT_AUTHORITIES = frozenset({"organizations", "common"})


@dataclass(frozen=True)
class TokenSet:
    """What a token response brings that we keep. Never printed with its values."""

    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    expires_in: int


def token_set_from(response: Mapping[str, Any]) -> TokenSet:
    """Check an Entra token response (wire shapes §1.5); MicrosoftTokenError if unusable."""
    access_token = response.get("access_token")
    refresh_token = response.get("refresh_token")
    expires_in = _seconds(response.get("expires_in"))
    if not _token_like(access_token):
        raise _unusable("access_token")
    if refresh_token is not None and not _token_like(refresh_token):
        raise _unusable("refresh_token")
    if expires_in is None:
        raise _unusable("expires_in")
    return TokenSet(access_token=access_token, refresh_token=refresh_token, expires_in=expires_in)


def _unusable(name: str) -> MicrosoftTokenError:
    return MicrosoftTokenError(error="invalid_response", description=f"unusable {name}")


def _token_like(value: Any) -> TypeGuard[str]:
    return isinstance(value, str) and 0 < len(value) <= MAX_TOKEN_CHARACTERS


def _seconds(value: Any) -> int | None:
    # v2.0 sends a number; v1.0 sent a string of digits (wire shapes §1.5).
    if isinstance(value, str) and value.isdigit() and len(value) < 10:
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_EXPIRES_IN:
        return value
    return None


def token_url(*, tenant_id: str) -> str:
    """The token endpoint to refresh a person's tokens at.

    With a multi-tenant authority (organizations, common) we use the person's own tenant, the
    ``tid`` their tokens came from: Entra refresh tokens are not tied to one authority (MSAL
    refreshes at whatever authority it is configured with), and a tenant-specific endpoint
    skips home-realm discovery and answers with that tenant's policies and errors. A
    deployment locked to one tenant (GUID or domain) always uses its own authority.
    """
    microsoft = settings.DEPLOYMENT.microsoft
    tenant = tenant_id if microsoft.tenant_id in MULTI_TENANT_AUTHORITIES else microsoft.tenant_id
    return f"{microsoft.login_url}/{tenant}/oauth2/v2.0/token"


def tokens_refresh(*, tenant_id: str, refresh_token: str, permissions: Iterable[str]) -> TokenSet:
    """Redeem a refresh token at Entra (RFC 6749 §6; wire shapes §1.4) for new tokens."""
    microsoft = settings.DEPLOYMENT.microsoft
    # No session scope: oauthlib would otherwise raise when Entra spells the granted scopes
    # differently from the request. The scope travels in the body instead.
    session = OAuth2Session(microsoft.client_id)
    session.register_compliance_hook("refresh_token_response", _successful)
    scope = " ".join(dict.fromkeys([*permissions, "offline_access"]))
    try:
        token = session.refresh_token(
            token_url(tenant_id=tenant_id),
            refresh_token=refresh_token,
            body=urlencode({"scope": scope}),
            client_id=microsoft.client_id,
            client_secret=microsoft.client_secret,
            timeout=HTTP_TIMEOUT_SECONDS,
        )
    except requests.RequestException as exc:
        raise _unanswered(exc) from None
    except (OAuth2Error, ValueError) as exc:  # a 200 that is no token response
        raise MicrosoftTokenError(
            error="invalid_response", description=type(exc).__name__
        ) from None
    return token_set_from(token)


def client_credentials_check(*, tenant: str) -> None:
    """Ask Entra for an app-only Graph token (RFC 6749 §4.4) to prove that it accepts the
    configured client id and secret; MicrosoftTokenError if it does not.

    The token is dropped unread: the server never acts as the app itself, only as people.
    """
    microsoft = settings.DEPLOYMENT.microsoft
    try:
        response = requests.post(
            f"{microsoft.login_url}/{tenant}/oauth2/v2.0/token",
            data={
                "grant_type": "client_credentials",
                "client_id": microsoft.client_id,
                "client_secret": microsoft.client_secret,
                "scope": f"{microsoft.graph_url}/.default",
            },
            timeout=HTTP_TIMEOUT_SECONDS,
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        raise _unanswered(exc) from None
    try:
        body = json.loads(_successful(response).content)
    except ValueError:
        raise MicrosoftTokenError(error="invalid_response", description="not JSON") from None
    if not isinstance(body, dict) or not _token_like(body.get("access_token")):
        raise _unusable("access_token")


def _successful(response: requests.Response) -> requests.Response:
    """Compliance hook: only a bounded 200 reaches oauthlib; anything else becomes our error."""
    if len(response.content) > MAX_RESPONSE_BYTES:
        raise MicrosoftTokenError(
            error="invalid_response", description="response too large", status=response.status_code
        )
    if response.status_code == 200:
        return response
    raise _error_from(response)


def _error_from(response: requests.Response) -> MicrosoftTokenError:
    """Entra's error body (wire shapes §1.6) as a MicrosoftTokenError.

    Throttling and server errors are transient whatever their body says: they must never
    make a person sign in again.
    """
    status = response.status_code
    try:
        body = json.loads(response.content)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        body = {}
    description = body.get("error_description")
    description = description if isinstance(description, str) else f"HTTP {status}"
    error = str(body["error"]) if isinstance(body.get("error"), str) else "invalid_response"
    if status == 429 or status >= 500:
        error = "temporarily_unavailable"
    return MicrosoftTokenError(
        error=error,
        description=description,
        aadsts=_aadsts(body.get("error_codes"), description),
        status=status,
    )


def _aadsts(codes: Any, description: str) -> int | None:
    if isinstance(codes, list) and codes and isinstance(codes[0], int):
        return int(codes[0])
    match = AADSTS.search(description)
    return int(match.group(1)) if match else None


def _unanswered(exc: requests.RequestException) -> MicrosoftTokenError:
    """Entra did not answer at all: a timeout, a refused connection, a broken TLS handshake."""
    return MicrosoftTokenError(
        error="temporarily_unavailable",
        description=f"Microsoft sign-in did not answer ({type(exc).__name__})",
    )

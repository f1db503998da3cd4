"""The Entra ID v2.0 token endpoint: authorization_code (+PKCE), refresh_token and
client_credentials grants.

Client authentication by client_secret_post or client_secret_basic (RFC 6749 §2.3.1), single-use
codes, refresh-token rotation where the old token stays valid (wire shapes §1.4), success and
error bodies as §1.5-§1.6 show them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import secrets
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote_plus

from tests.fakes import aadsts
from tests.fakes.aadsts import EntraError
from tests.fakes.entra import authority, entra_json_error
from tests.fakes.people import Person, Tenant
from tests.fakes.scopes import GRAPH_APP_ID, GRAPH_RESOURCE, scope_parse, scope_text, scp_claim
from tests.fakes.server import Request, Response, json_response
from tests.fakes.state import (
    REFRESH_IDLE_SECONDS,
    AccessGrant,
    FakeState,
    RefreshGrant,
    TokenRecord,
)
from tests.fakes.tokens import b64url, opaque, s256

ID_TOKEN_LIFETIME = 3900  # exp - iat of the real capture (wire shapes §1.7)
MAX_FIELD_LENGTH = 8192  # longer than any real code, token or verifier


def token_headers() -> dict[str, str]:
    return {
        "Cache-Control": "no-store, no-cache",
        "Pragma": "no-cache",
        "Expires": "-1",
        "x-ms-request-id": str(uuid.uuid4()),
        "x-ms-ests-server": "2.1.0 - fake ProdSlices",
    }


@dataclass
class _Attempt:
    grant_type: str
    person: Person | None = None


def token(state: FakeState, request: Request, params: dict[str, str]) -> Response:
    if state.knobs.token_latency:
        time.sleep(state.knobs.token_latency)
    form, repeated = request.form()
    attempt = _Attempt(grant_type=form.get("grant_type", "")[:64])
    with state.lock:
        try:
            _path, tenant = authority(params["tenant"])
            if repeated or any(len(value) > MAX_FIELD_LENGTH for value in form.values()):
                raise aadsts.malformed_request()
            body = _token(state, request, form, attempt, tenant)
        except EntraError as error:
            _record(state, attempt, error.error)
            response = entra_json_error(state, error)
            response.headers.update(token_headers())
            return response
        _record(state, attempt, None)
    return json_response(200, body, token_headers())


def tokens_issue(
    state: FakeState,
    *,
    person: Person,
    oidc: frozenset[str],
    nonce: str | None = None,
    client_info: bool = False,
) -> dict[str, Any]:
    """Mint an access token (and a refresh and id token when asked) for what is consented."""
    permissions = frozenset(state.consents[person.key])
    lifetime, issued = state.access_token_lifetime(), int(time.time())
    claims = _access_claims(state, person, permissions, issued, lifetime)
    access_token = state.keys.access_token(claims)
    state.access_tokens[access_token] = AccessGrant(person, permissions, issued + lifetime)
    body: dict[str, Any] = {
        "token_type": "Bearer",
        "scope": scope_text(oidc=oidc, permissions=permissions, style=state.knobs.scope_style),
        "expires_in": lifetime,
        "ext_expires_in": lifetime,
        "access_token": access_token,
    }
    if "offline_access" in oidc:
        refresh_token = opaque()
        state.refresh_tokens[refresh_token] = RefreshGrant(
            person, state.app.client_id, oidc, issued_at=issued, last_used=issued
        )
        body["refresh_token"] = refresh_token
    if "openid" in oidc:
        body["id_token"] = state.keys.id_token(_id_claims(state, person, oidc, nonce, issued))
    if client_info:
        info = json.dumps({"uid": person.oid, "utid": person.tid}).encode()
        body["client_info"] = b64url(info)
    return body


def _token(
    state: FakeState,
    request: Request,
    form: Mapping[str, str],
    attempt: _Attempt,
    tenant: Tenant | None,
) -> dict[str, Any]:
    if not attempt.grant_type:
        raise aadsts.missing_parameter("grant_type")
    _client_authenticate(state, request, form)
    attempt.person = _grant_person(state, form)
    failure = state.token_failure_take(attempt.grant_type)
    if failure is not None:
        raise failure
    if attempt.grant_type == "authorization_code":
        return _code_grant(state, form)
    if attempt.grant_type == "refresh_token":
        return _refresh_grant(state, form)
    if attempt.grant_type == "client_credentials":
        return _client_credentials_grant(state, form, tenant)
    raise aadsts.unsupported_grant_type(attempt.grant_type)


def _client_authenticate(state: FakeState, request: Request, form: Mapping[str, str]) -> None:
    basic_id, basic_secret = _basic_credentials(request.header("authorization"))
    client_id = basic_id or form.get("client_id", "")
    if basic_id and form.get("client_id", basic_id) != basic_id:
        raise aadsts.malformed_request()
    if not client_id:
        raise aadsts.missing_parameter("client_id")
    if client_id.lower() != state.app.client_id:
        raise aadsts.unknown_client(client_id[:100])
    secret = basic_secret or form.get("client_secret", "")
    if basic_secret and form.get("client_secret", basic_secret) != basic_secret:
        raise aadsts.invalid_client_secret()
    if not secret:
        raise aadsts.missing_client_secret()
    if not secrets.compare_digest(secret.encode(), state.app.client_secret.encode()):
        raise aadsts.invalid_client_secret()
    if state.client_secret_expired:
        raise aadsts.client_secret_expired(state.app.client_id)


def _basic_credentials(header: str) -> tuple[str, str]:
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return "", ""
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise aadsts.malformed_request() from None
    client_id, colon, secret = decoded.partition(":")
    if not colon:
        raise aadsts.malformed_request()
    # RFC 6749 §2.3.1: both parts are form-urlencoded before they are joined.
    return unquote_plus(client_id), unquote_plus(secret)


def _grant_person(state: FakeState, form: Mapping[str, str]) -> Person | None:
    code = state.codes.get(form.get("code", ""))
    refresh = state.refresh_tokens.get(form.get("refresh_token", ""))
    grant = code or refresh
    return grant.person if grant else None


def _code_grant(state: FakeState, form: Mapping[str, str]) -> dict[str, Any]:
    if not form.get("code"):
        raise aadsts.missing_parameter("code")
    grant = state.codes.get(form["code"])
    if grant is None or grant.client_id != state.app.client_id:
        raise aadsts.invalid_code()
    if grant.redeemed:
        raise aadsts.code_redeemed()
    if time.time() >= grant.expires_at:
        raise aadsts.code_expired()
    # A code is good for one attempt: whatever fails below, it is spent (RFC 6749 §10.5).
    grant.redeemed = True
    if not form.get("redirect_uri"):
        raise aadsts.missing_parameter("redirect_uri")
    if form["redirect_uri"] != grant.redirect_uri:
        raise aadsts.reply_address_mismatch(form["redirect_uri"][:500], grant.redirect_uri)
    if grant.challenge:
        _check_verifier(form.get("code_verifier", ""), grant.challenge, grant.challenge_method)
    _check_consented(state, grant.person, form)
    return tokens_issue(
        state,
        person=grant.person,
        oidc=grant.oidc,
        nonce=grant.nonce,
        client_info=form.get("client_info") == "1",
    )


def _client_credentials_grant(
    state: FakeState, form: Mapping[str, str], tenant: Tenant | None
) -> dict[str, Any]:
    """An app-only token (RFC 6749 §4.4): the app acts as itself in one tenant, so the
    authority must name that tenant, and the scope is the resource's ``/.default``."""
    if tenant is None:
        raise aadsts.tenant_required_for_app_token()
    scope = form.get("scope", "")
    graph = (GRAPH_RESOURCE, GRAPH_APP_ID, state.url)  # the fake stands in for Graph's host
    if scope not in (f"{resource}/.default" for resource in graph):
        raise aadsts.default_scope_required(scope[:200])
    lifetime, issued = 3599, int(time.time())
    service_principal = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{tenant.id}/{state.app.client_id}"))
    claims = {
        "aud": GRAPH_APP_ID,
        "iss": f"https://sts.windows.net/{tenant.id}/",
        "iat": issued,
        "nbf": issued,
        "exp": issued + lifetime,
        "app_displayname": state.app.display_name,
        "appid": state.app.client_id,
        "appidacr": "1",
        "idp": f"https://sts.windows.net/{tenant.id}/",
        "idtyp": "app",
        "oid": service_principal,
        "sub": service_principal,
        "tid": tenant.id,
        "uti": b64url(secrets.token_bytes(16)),
        "ver": "1.0",
    }
    # The v2.0 client credentials response: no refresh token, no id token, no scope.
    return {
        "token_type": "Bearer",
        "expires_in": lifetime,
        "ext_expires_in": lifetime,
        "access_token": state.keys.access_token(claims),
    }


def _check_verifier(verifier: str, challenge: str, method: str | None) -> None:
    if not verifier:
        raise aadsts.verifier_missing()
    derived = s256(verifier) if method == "S256" else verifier
    # RFC 7636 §4.1: a verifier has 43-128 characters.
    if not 43 <= len(verifier) <= 128 or not secrets.compare_digest(derived, challenge):
        raise aadsts.verifier_mismatch()


def _refresh_grant(state: FakeState, form: Mapping[str, str]) -> dict[str, Any]:
    if not form.get("refresh_token"):
        raise aadsts.missing_parameter("refresh_token")
    grant = state.refresh_tokens.get(form["refresh_token"])
    if grant is None or grant.client_id != state.app.client_id:
        raise aadsts.invalid_refresh_token()
    now = time.time()
    if grant.status == "revoked":
        raise aadsts.refresh_token_revoked()
    if grant.status == "expired" or now - grant.last_used > REFRESH_IDLE_SECONDS:
        issued = datetime.fromtimestamp(grant.issued_at, UTC).strftime("%Y-%m-%dT%H:%M:%S.0000000Z")
        raise aadsts.refresh_token_expired(issued)
    _check_consented(state, grant.person, form)
    # The old refresh token stays valid; every refresh returns a new one (wire shapes §1.4).
    grant.last_used = now
    grant.redemptions += 1
    return tokens_issue(
        state, person=grant.person, oidc=grant.oidc, client_info=form.get("client_info") == "1"
    )


def _check_consented(state: FakeState, person: Person, form: Mapping[str, str]) -> None:
    # The token request's scope must be equal to or a subset of the consent (wire shapes §1.4).
    if (
        form.get("scope")
        and not scope_parse(form["scope"]).permissions <= state.consents[person.key]
    ):
        raise aadsts.consent_missing(state.app.client_id, state.app.display_name)


def _record(state: FakeState, attempt: _Attempt, error: str | None) -> None:
    person = attempt.person.key if attempt.person else None
    state.token_records.append(TokenRecord(attempt.grant_type, person, error, time.time()))


def _pairwise(person: Person, audience: str) -> str:
    # `sub` is pairwise: the same person has a different subject for each app (E-IDT).
    return b64url(hashlib.sha256(f"{person.oid}:{audience}".encode()).digest())


def _id_claims(
    state: FakeState, person: Person, oidc: frozenset[str], nonce: str | None, issued: int
) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "aud": state.app.client_id,
        "iss": f"{state.url}/{person.tid}/v2.0",
        "iat": issued,
        "nbf": issued,
        "exp": issued + ID_TOKEN_LIFETIME,
        "rh": f"0.{b64url(secrets.token_bytes(24))}",
        "sub": _pairwise(person, state.app.client_id),
        "tid": person.tid,
        "uti": b64url(secrets.token_bytes(16)),
        "ver": "2.0",
    }
    if nonce:
        claims["nonce"] = nonce
    if "profile" in oidc:  # name, oid and preferred_username need `profile` (E-IDT)
        claims.update(name=person.display_name, oid=person.oid)
        claims["preferred_username"] = person.username
    if "email" in oidc and person.mail:
        claims["email"] = person.mail
    return claims


def _access_claims(
    state: FakeState, person: Person, permissions: frozenset[str], issued: int, lifetime: int
) -> dict[str, Any]:
    # The v1 shape of real Graph tokens (wire shapes §1.7). Graph checks the server-side
    # record, so a test can expire or revoke a token whatever its `exp` says.
    return {
        "aud": GRAPH_APP_ID,
        "iss": f"https://sts.windows.net/{person.tid}/",
        "iat": issued,
        "nbf": issued,
        "exp": issued + lifetime,
        "acct": 0,
        "acr": "1",
        "amr": ["pwd"],
        "app_displayname": state.app.display_name,
        "appid": state.app.client_id,
        "appidacr": "1",
        "family_name": person.surname,
        "given_name": person.given_name,
        "idtyp": "user",
        "ipaddr": "127.0.0.1",
        "name": person.display_name,
        "oid": person.oid,
        "scp": scp_claim(oidc=("openid", "profile", "email"), permissions=permissions),
        "sub": _pairwise(person, GRAPH_APP_ID),
        "tid": person.tid,
        "unique_name": person.username,
        "upn": person.username,
        "uti": b64url(secrets.token_bytes(16)),
        "ver": "1.0",
    }

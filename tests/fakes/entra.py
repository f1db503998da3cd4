"""Entra ID v2.0 endpoints, except the token endpoint (entra_token.py).

OIDC discovery, the JWKS, /authorize (no UI: the person the test signed in consents) and
logout, shaped as wire shapes §1.2-§1.3 describe.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from html import escape
from urllib.parse import urlencode

from tests.fakes import aadsts
from tests.fakes.aadsts import EntraError
from tests.fakes.people import CAST, Person, Tenant, tenant_named
from tests.fakes.scopes import OIDC_SCOPES, ScopeRequest, scope_parse
from tests.fakes.server import (
    Request,
    Response,
    html_response,
    json_response,
    redirect_response,
)
from tests.fakes.state import CODE_LIFETIME_SECONDS, AuthorizeRecord, CodeGrant, FakeState
from tests.fakes.tokens import opaque

MULTI_TENANT = ("organizations", "common")
CONSUMERS = "consumers"
# Discovery documents and keys are cacheable for a day (AZSDK capture, wire shapes §1.2).
METADATA_HEADERS = {
    "Cache-Control": "max-age=86400, private",
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, OPTIONS",
}
RESPONSE_MODES = ("query", "fragment", "form_post")
PROMPTS = ("login", "none", "consent", "select_account", "create")


def authority(segment: str) -> tuple[str, Tenant | None]:
    """The `{tenant}` path segment as (segment for URLs, the cast tenant it names if single)."""
    lowered = segment.lower()
    if lowered in (*MULTI_TENANT, CONSUMERS):
        return lowered, None
    tenant = tenant_named(lowered)
    if tenant is None:
        raise aadsts.unknown_tenant(segment[:100])
    return tenant.id, tenant


def entra_json_error(state: FakeState, error: EntraError) -> Response:
    return json_response(error.status, aadsts.token_error_body(error, login_url=state.url))


def discovery(state: FakeState, request: Request, params: dict[str, str]) -> Response:
    try:
        path, tenant = authority(params["tenant"])
    except EntraError as error:
        return entra_json_error(state, error)
    base, host = f"{state.url}/{path}", state.url.split("://", 1)[1]
    # Multi-tenant documents carry the literal `{tenantid}` template (wire shapes §1.2).
    issuer_tenant = tenant.id if tenant else "{tenantid}"
    document = {
        "token_endpoint": f"{base}/oauth2/v2.0/token",
        "token_endpoint_auth_methods_supported": [
            "client_secret_post",
            "private_key_jwt",
            "client_secret_basic",
        ],
        "jwks_uri": f"{base}/discovery/v2.0/keys",
        "response_modes_supported": list(RESPONSE_MODES),
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": list(OIDC_SCOPES),
        "issuer": f"{state.url}/{issuer_tenant}/v2.0",
        "request_uri_parameter_supported": False,
        "userinfo_endpoint": f"{state.url}/oidc/userinfo",
        "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
        "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
        "http_logout_supported": True,
        "frontchannel_logout_supported": True,
        "end_session_endpoint": f"{base}/oauth2/v2.0/logout",
        "claims_supported": [
            *("sub", "iss", "cloud_instance_name", "cloud_instance_host_name"),
            *("cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time"),
            *("acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash"),
            *("c_hash", "email"),
        ],
        "kerberos_endpoint": f"{base}/kerberos",
        "tenant_region_scope": "WW" if tenant else None,
        "cloud_instance_name": "microsoftonline.com",
        "cloud_graph_host_name": "graph.windows.net",
        "msgraph_host": host,
        "rbac_url": "https://pas.windows.net",
    }
    return json_response(200, document, METADATA_HEADERS)


def keys(state: FakeState, request: Request, params: dict[str, str]) -> Response:
    try:
        _, tenant = authority(params["tenant"])
    except EntraError as error:
        return entra_json_error(state, error)
    issuer = f"{state.url}/{tenant.id if tenant else '{tenantid}'}/v2.0"
    return json_response(200, state.keys.jwks(issuer=issuer), METADATA_HEADERS)


def authorize(state: FakeState, request: Request, params: dict[str, str]) -> Response:
    query = request.query
    with state.lock:
        person = state.signed_in or _hinted(query.get("login_hint", ""))
        try:
            path, tenant = authority(params["tenant"])
            redirect_uri = _registered_redirect_uri(state, query)
        except EntraError as error:
            # Never redirect to an unverified URI: show an error page (wire shapes §1.3).
            _record(state, query, person, error.error)
            return _error_page(error)
        try:
            answer = _authorize(state, request, path=path, tenant=tenant, person=person)
        except EntraError as error:
            _record(state, query, person, error.error)
            answer = aadsts.redirect_error_params(error, login_url=state.url)
        if answer is None:
            _record(state, query, None, "nobody_signed_in")
            return html_response(
                200,
                "Sign in to your account",
                "The fake Microsoft has nobody signed in: call fake.sign_in_as(person) or send "
                "a login_hint naming someone in the cast.",
            )
    if "state" in query:
        answer["state"] = query["state"]
    return _deliver(redirect_uri, answer, query.get("response_mode", "query"))


def logout(state: FakeState, request: Request, params: dict[str, str]) -> Response:
    target = request.query.get("post_logout_redirect_uri", "")
    with state.lock:
        state.signed_in = None
        registered = target in state.redirect_uris
    if registered:
        extra = {"state": request.query["state"]} if "state" in request.query else {}
        return redirect_response(_with_params(target, extra, "?"))
    return html_response(200, "You signed out of your account", "Close all browser windows.")


def _hinted(login_hint: str) -> Person | None:
    hint = login_hint.strip().lower()
    return next((p for p in CAST.values() if hint and p.username.lower() == hint), None)


def _registered_redirect_uri(state: FakeState, query: Mapping[str, str]) -> str:
    client_id, redirect_uri = query.get("client_id", ""), query.get("redirect_uri", "")
    if not client_id:
        raise aadsts.missing_parameter("client_id")
    if client_id.lower() != state.app.client_id:
        raise aadsts.unknown_client(client_id[:100])
    if not redirect_uri:
        raise aadsts.missing_parameter("redirect_uri")
    if redirect_uri not in state.redirect_uris:
        raise aadsts.redirect_mismatch(redirect_uri[:500], state.app.client_id)
    return redirect_uri


def _authorize(
    state: FakeState, request: Request, *, path: str, tenant: Tenant | None, person: Person | None
) -> dict[str, str] | None:
    """Check the request, then consent and issue a code; None when nobody is signed in."""
    query = request.query
    scope = _checked(state, request)
    silent = query.get("prompt") == "none"
    if person is None:
        if silent:
            raise aadsts.login_required()
        return None
    if path == CONSUMERS or (tenant is not None and person.tenant != tenant):
        raise aadsts.person_not_in_tenant(person.username, person.tid, path, state.app.display_name)
    if state.authorize_failures:
        raise state.authorize_failures.popleft()
    consented = state.consents[person.key]
    if silent and not scope.permissions <= consented:
        raise aadsts.silent_consent_required(state.app.client_id, state.app.display_name)
    consented |= scope.permissions
    code = opaque()
    state.codes[code] = CodeGrant(
        person=person,
        client_id=state.app.client_id,
        redirect_uri=query["redirect_uri"],
        oidc=scope.oidc,
        challenge=query.get("code_challenge") or None,
        challenge_method=_challenge_method(query),
        nonce=query.get("nonce") or None,
        expires_at=time.time() + CODE_LIFETIME_SECONDS,
    )
    _record(state, query, person, None)
    return {"code": code, "session_state": str(uuid.uuid4())}


def _checked(state: FakeState, request: Request) -> ScopeRequest:
    query = request.query
    if request.repeated:
        raise aadsts.malformed_request()
    response_type = query.get("response_type", "")
    if not response_type:
        raise aadsts.missing_parameter("response_type")
    if response_type != "code":
        raise aadsts.unsupported_response_type(response_type[:50])
    if not query.get("scope"):
        raise aadsts.missing_parameter("scope")
    scope = scope_parse(query["scope"])
    _check_pkce(state, query)
    if state.knobs.strict:
        for name in ("state", "nonce"):
            if not query.get(name):
                raise aadsts.missing_parameter(name)
        if "openid" not in scope.oidc:
            raise aadsts.missing_parameter("scope")
    return scope


def _challenge_method(query: Mapping[str, str]) -> str | None:
    # RFC 7636 §4.3: a challenge without a method is "plain" (wire shapes §1.3 agrees).
    if not query.get("code_challenge"):
        return None
    return query.get("code_challenge_method") or "plain"


def _check_pkce(state: FakeState, query: Mapping[str, str]) -> None:
    challenge, method = query.get("code_challenge", ""), _challenge_method(query)
    if query.get("code_challenge_method") and not challenge:
        raise aadsts.missing_parameter("code_challenge")
    if method not in (None, "S256", "plain"):
        raise aadsts.invalid_challenge_method()
    if challenge and not 43 <= len(challenge) <= 128:
        raise aadsts.invalid_challenge_size()  # RFC 7636 §4.2
    if state.knobs.strict and not challenge:
        raise aadsts.missing_parameter("code_challenge")
    if state.knobs.strict and method != "S256":
        raise aadsts.invalid_challenge_method()


def _record(
    state: FakeState, query: Mapping[str, str], person: Person | None, error: str | None
) -> None:
    state.authorize_records.append(
        AuthorizeRecord(
            person=person.key if person else None,
            params=dict(query),
            error=error,
            at=time.time(),
        )
    )


def _error_page(error: EntraError) -> Response:
    return html_response(400, "Sign in", f"AADSTS{error.code}: {error.message}")


def _deliver(redirect_uri: str, answer: dict[str, str], mode: str) -> Response:
    if mode == "form_post":
        fields = "".join(
            f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">'
            for k, v in answer.items()
        )
        page = (
            f'<html><body onload="document.forms[0].submit()"><form method="POST" '
            f'action="{escape(redirect_uri)}">{fields}</form></body></html>'
        )
        return Response(200, page.encode(), {"Content-Type": "text/html; charset=utf-8"})
    separator = "#" if mode == "fragment" else "?"
    return redirect_response(_with_params(redirect_uri, answer, separator))


def _with_params(uri: str, params: dict[str, str], separator: str) -> str:
    if not params:
        return uri
    if separator == "?" and "?" in uri:
        separator = "&"
    return f"{uri}{separator}{urlencode(params)}"

"""Checks of the Microsoft configuration against Entra itself, in words an administrator can act
on (the `check_microsoft` command).

Each check returns ``(problem, text)``: what is fine, or what is wrong and which setting to
change. Nothing here prints or keeps a token or the client secret.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
from django.conf import settings

from graph_tools.errors import MicrosoftTokenError
from graph_tools.models import MicrosoftConnection
from graph_tools.token_endpoint import AADSTS, MULTI_TENANT_AUTHORITIES, client_credentials_check
from oauth_bridge.entra import HTTP_TIMEOUT_SECONDS, SignInRequest
from oauth_bridge.redirects import redirect_uri_problem
from oauth_bridge.views.authorize import microsoft_callback_url

Check = tuple[bool, str]  # (is it a problem?, what to say)
MAX_DOCUMENT_BYTES = 256 * 1024
# AADSTS codes (Microsoft identity platform, "Microsoft Entra authentication and authorization
# error codes") in words naming the setting to fix.
AADSTS_WORDS = {
    90002: "tenant {tenant} was not found in the {cloud} cloud: check MICROSOFT_TENANT_ID and "
    "MICROSOFT_CLOUD",
    700016: "Entra knows no app {client_id} in tenant {tenant}: check MICROSOFT_CLIENT_ID (the "
    "application (client) ID), or have an administrator of that tenant consent to the app",
    7000215: "Entra refused MICROSOFT_CLIENT_SECRET: use the secret's Value (not its Secret ID) "
    "from this app's Certificates & secrets",
    7000222: "MICROSOFT_CLIENT_SECRET has expired: create a new client secret under "
    "Certificates & secrets and update the setting",
    7000218: "no client secret reached Entra: set MICROSOFT_CLIENT_SECRET",
    1002012: "Entra refused the scope {graph}/.default: check MICROSOFT_CLOUD and "
    "MICROSOFT_GRAPH_URL",
    70011: "Entra refused the scope {graph}/.default: check MICROSOFT_CLOUD and "
    "MICROSOFT_GRAPH_URL",
    50011: "the redirect URI {redirect_uri} is not registered: add it under Authentication → "
    "Web in the app registration",
    50194: "the app accepts only its own tenant: set MICROSOFT_TENANT_ID to that tenant",
}


def configuration_check() -> Check:
    microsoft = settings.DEPLOYMENT.microsoft
    if not microsoft.configured:
        return True, "MICROSOFT_CLIENT_ID and MICROSOFT_CLIENT_SECRET must both be set"
    return (
        False,
        f"app {microsoft.client_id} in the {microsoft.cloud} cloud ({microsoft.login_url})",
    )


def discovery_check() -> Check:
    """The OpenID discovery document of the configured cloud and tenant, and its endpoints."""
    microsoft = settings.DEPLOYMENT.microsoft
    url = f"{microsoft.login_url}/{microsoft.tenant_id}/v2.0/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=HTTP_TIMEOUT_SECONDS, allow_redirects=False)
    except requests.RequestException as exc:
        return True, f"could not reach {url} ({type(exc).__name__}): check MICROSOFT_CLOUD"
    document = _json(response)
    if response.status_code != 200:
        return True, _words(document, fallback=f"{url} answered HTTP {response.status_code}")
    issuer, token_endpoint = str(document.get("issuer", "")), document.get("token_endpoint", "")
    if not issuer.startswith(f"{microsoft.login_url}/") or not issuer.endswith("/v2.0"):
        return True, f"the discovery document names issuer {issuer[:200]!r}, not one of {url}"
    if not str(token_endpoint).startswith(f"{microsoft.login_url}/"):
        return True, f"the discovery document names token endpoint {str(token_endpoint)[:200]!r}"
    return False, f"discovery document of tenant {microsoft.tenant_id}: issuer {issuer}"


def credentials_check() -> Check:
    """An app-only token request: Entra accepts the client id and secret, or says why not."""
    tenant = _tenant_to_check()
    if tenant is None:
        return False, (
            "client secret not checked: an app-only token needs a tenant; set "
            "MICROSOFT_TENANT_ID or MICROSOFT_ALLOWED_TENANTS, or run again after a first sign-in"
        )
    try:
        client_credentials_check(tenant=tenant)
    except MicrosoftTokenError as exc:
        if exc.error == "temporarily_unavailable":
            return True, f"Microsoft did not answer the token request ({exc.description}); retry"
        fallback = f"Entra refused the client credentials: {exc}"
        return True, _phrase(exc.aadsts, tenant=tenant, fallback=fallback)
    return False, f"Entra accepts the client id and secret (tenant {tenant})"


def redirect_uri_check() -> Check:
    """The callback URI we send; Entra shows an error page instead of redirecting to an
    unregistered one (wire shapes §1.3), which tells whether the app registration lists it."""
    uri, microsoft = microsoft_callback_url(), settings.DEPLOYMENT.microsoft
    problem = redirect_uri_problem(uri)
    if problem:
        return True, f"the redirect URI {uri} {problem}: check PUBLIC_URL"
    sign_in = SignInRequest.new()
    query = {
        "client_id": microsoft.client_id,
        "response_type": "code",
        "redirect_uri": uri,
        "scope": "openid",
        "prompt": "none",  # nobody signs in: Entra answers at once
        "state": sign_in.state,
        "nonce": sign_in.nonce,
        "code_challenge": sign_in.code_challenge,
        "code_challenge_method": "S256",
    }
    url = f"{microsoft.login_url}/{microsoft.tenant_id}/oauth2/v2.0/authorize?{urlencode(query)}"
    try:
        response = requests.get(url, timeout=HTTP_TIMEOUT_SECONDS, allow_redirects=False)
    except requests.RequestException as exc:
        return True, f"could not reach Entra's authorize endpoint ({type(exc).__name__})"
    location = urlsplit(response.headers.get("Location", ""))
    if response.is_redirect and location._replace(query="", fragment="").geturl() == uri:
        return False, f"Entra accepts the redirect URI {uri}"
    code = _aadsts_in(response.text[:MAX_DOCUMENT_BYTES])
    fallback = f"could not confirm that the app registration lists the redirect URI {uri}"
    return True, _phrase(code, tenant=microsoft.tenant_id, fallback=fallback)


def _tenant_to_check() -> str | None:
    microsoft = settings.DEPLOYMENT.microsoft
    if microsoft.tenant_id not in MULTI_TENANT_AUTHORITIES:
        return microsoft.tenant_id
    if microsoft.allowed_tenants:
        return microsoft.allowed_tenants[0]
    newest = MicrosoftConnection.objects.order_by("-created_at").first()
    return newest.tenant_id if newest else None


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        value = json.loads(response.content[:MAX_DOCUMENT_BYTES])
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _words(body: dict[str, Any], *, fallback: str) -> str:
    codes = body.get("error_codes")
    code = codes[0] if isinstance(codes, list) and codes and isinstance(codes[0], int) else None
    return _phrase(code, tenant=settings.DEPLOYMENT.microsoft.tenant_id, fallback=fallback)


def _aadsts_in(text: str) -> int | None:
    match = AADSTS.search(text)
    return int(match.group(1)) if match else None


def _phrase(code: int | None, *, tenant: str, fallback: str) -> str:
    microsoft = settings.DEPLOYMENT.microsoft
    words = AADSTS_WORDS.get(code or 0)
    if words is None:
        return fallback
    return f"AADSTS{code}: " + words.format(
        tenant=tenant,
        cloud=microsoft.cloud,
        client_id=microsoft.client_id,
        graph=microsoft.graph_url,
        redirect_uri=microsoft_callback_url(),
    )


CHECKS = (
    ("configuration", configuration_check),
    ("discovery", discovery_check),
    ("client credentials", credentials_check),
    ("redirect URI", redirect_uri_check),
)

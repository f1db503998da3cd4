"""Sign-in through Microsoft Entra ID (OpenID Connect, authorization code + PKCE).

This is how our authorization server learns who a person is; the Microsoft tokens it gets
stay on the server (graph_tools keeps them). Discovery and signing keys are cached.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.cache import cache
from jwcrypto import jwk, jwt
from jwcrypto.common import JWException
from oauthlib.oauth2.rfc6749.errors import OAuth2Error
from requests_oauthlib import OAuth2Session

HTTP_TIMEOUT_SECONDS = 10
METADATA_CACHE_SECONDS = 3600
CLOCK_SKEW_SECONDS = 300
MSA_TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad"  # personal Microsoft accounts
AADSTS = re.compile(r"\b(AADSTS\d+)\b")
# RFC 6749 §5.2 `error` characters, bounded: the callback's `error` is hostile text.
ERROR_CODE = re.compile(r"[\x20\x21\x23-\x5b\x5d-\x7e]{1,64}")


class EntraError(Exception):
    """Entra refused a request; ``code`` is the OAuth error, ``aadsts`` its AADSTS number."""

    def __init__(self, code: str, description: str = "") -> None:
        self.code = code if ERROR_CODE.fullmatch(code) else "invalid_response"
        self.description = description.split("\r\n")[0].split("\n")[0][:500]
        match = AADSTS.search(description)
        self.aadsts = match.group(1) if match else ""
        super().__init__(f"{code}: {self.description}")


@dataclass(frozen=True)
class SignInRequest:
    """What the callback needs to finish a sign-in; kept server-side in the session."""

    state: str
    nonce: str
    code_verifier: str

    @classmethod
    def new(cls) -> SignInRequest:
        return cls(secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(64))

    @property
    def code_challenge(self) -> str:
        digest = hashlib.sha256(self.code_verifier.encode()).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def discovery() -> dict[str, Any]:
    microsoft = settings.DEPLOYMENT.microsoft
    url = f"{microsoft.login_url}/{microsoft.tenant_id}/v2.0/.well-known/openid-configuration"
    return _cached_json(f"entra:discovery:{url}", url)


def authorization_url(
    *, sign_in: SignInRequest, redirect_uri: str, permissions: list[str], login_hint: str = ""
) -> str:
    session = OAuth2Session(
        settings.DEPLOYMENT.microsoft.client_id, redirect_uri=redirect_uri, scope=permissions
    )
    extra = {"login_hint": login_hint} if login_hint else {}
    url, _state = session.authorization_url(
        discovery()["authorization_endpoint"],
        state=sign_in.state,
        nonce=sign_in.nonce,
        code_challenge=sign_in.code_challenge,
        code_challenge_method="S256",
        response_mode="query",
        **extra,
    )
    return str(url)


def code_exchange(
    *, code: str, sign_in: SignInRequest, redirect_uri: str, permissions: list[str]
) -> dict[str, Any]:
    microsoft = settings.DEPLOYMENT.microsoft
    session = OAuth2Session(microsoft.client_id, redirect_uri=redirect_uri, scope=permissions)
    try:
        token = session.fetch_token(
            discovery()["token_endpoint"],
            code=code,
            client_secret=microsoft.client_secret,
            include_client_id=True,
            code_verifier=sign_in.code_verifier,
            timeout=HTTP_TIMEOUT_SECONDS,
        )
    except OAuth2Error as exc:
        raise EntraError(exc.error, exc.description or "") from None
    except requests.RequestException as exc:
        raise EntraError("temporarily_unavailable", type(exc).__name__) from None
    return dict(token)


def id_token_claims(*, id_token: str, nonce: str) -> dict[str, Any]:
    """Verify an Entra ID token (signature, iss, aud, exp/nbf, nonce, tid) and return it."""
    try:
        claims = _verified_claims(id_token)
    except (JWException, ValueError, KeyError) as exc:
        raise EntraError(
            "invalid_id_token", f"signature check failed ({type(exc).__name__})"
        ) from None
    problem = id_token_problem(claims, nonce=nonce)
    if problem:
        raise EntraError("invalid_id_token", problem)
    return claims


def id_token_problem(claims: dict[str, Any], *, nonce: str) -> str | None:
    microsoft = settings.DEPLOYMENT.microsoft
    now = time.time()
    tid = str(claims.get("tid", ""))
    expected_issuer = discovery()["issuer"].replace("{tenantid}", tid)
    checks = [
        (bool(tid) and bool(claims.get("oid")), "the token names no tenant or person"),
        (claims.get("iss") == expected_issuer, "the issuer does not match the tenant"),
        (claims.get("aud") == microsoft.client_id, "the token is for another application"),
        (float(claims.get("exp", 0)) > now - CLOCK_SKEW_SECONDS, "the token has expired"),
        (float(claims.get("nbf", 0)) <= now + CLOCK_SKEW_SECONDS, "the token is not valid yet"),
        (secret_matches(str(claims.get("nonce", "")), nonce), "the nonce does not match"),
        (tenant_allowed(tid), f"people from tenant {tid} may not sign in here"),
    ]
    return next((problem for passed, problem in checks if not passed), None)


def secret_matches(given: str, expected: str) -> bool:
    """Constant-time comparison that takes any text: compare_digest raises TypeError on
    non-ASCII str, and hostile input must be a plain mismatch."""
    return secrets.compare_digest(given.encode(), expected.encode())


def tenant_allowed(tid: str) -> bool:
    microsoft = settings.DEPLOYMENT.microsoft
    if microsoft.allowed_tenants and tid not in microsoft.allowed_tenants:
        return False
    if microsoft.tenant_id == "organizations":
        return tid != MSA_TENANT
    if microsoft.tenant_id == "common":
        return True
    # A single-tenant authority (GUID or domain): its discovery issuer names the tenant id
    # as the first path segment (https://login.microsoftonline.com/<tid>/v2.0).
    issuer = str(discovery()["issuer"])
    return tid == urlsplit(issuer).path.strip("/").split("/")[0]


def _verified_claims(id_token: str) -> dict[str, Any]:
    jwks_uri = discovery()["jwks_uri"]
    try:
        return _deserialize(id_token, _jwks(jwks_uri))
    except JWException:
        # Entra rotates its signing keys: refetch once before giving up.
        cache.delete(f"entra:jwks:{jwks_uri}")
        return _deserialize(id_token, _jwks(jwks_uri))


def _deserialize(id_token: str, keys: jwk.JWKSet) -> dict[str, Any]:
    # Claims are checked by id_token_problem(), with Entra's issuer template in mind.
    token = jwt.JWT(algs=["RS256"], expected_type="JWS", check_claims=False)
    token.deserialize(id_token, key=keys)
    claims: dict[str, Any] = json.loads(token.claims)
    return claims


def _jwks(uri: str) -> jwk.JWKSet:
    return jwk.JWKSet.from_json(json.dumps(_cached_json(f"entra:jwks:{uri}", uri)))


def _cached_json(key: str, url: str) -> dict[str, Any]:
    document: dict[str, Any] | None = cache.get(key)
    if document is None:
        try:
            response = requests.get(url, timeout=HTTP_TIMEOUT_SECONDS)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise EntraError(
                "temporarily_unavailable", f"could not read {url} ({type(exc).__name__})"
            ) from None
        cache.set(key, document, METADATA_CACHE_SECONDS)
    return document

"""Entra ID tokens are checked claim by claim, and tenants against the deployment's policy."""

from __future__ import annotations

import base64
import json
import time
from dataclasses import replace

import pytest
import requests
from jwcrypto import jwk, jwt

from oauth_bridge import entra

TENANT = "aaaaaaaa-0000-4000-8000-000000000001"
CLIENT_ID = "11111111-2222-3333-4444-555555555555"
ISSUER_TEMPLATE = "https://login.microsoftonline.com/{tenantid}/v2.0"


@pytest.fixture
def discovery(monkeypatch) -> None:
    monkeypatch.setattr(entra, "discovery", lambda: {"issuer": ISSUER_TEMPLATE})


def claims(**overrides: object) -> dict[str, object]:
    now = time.time()
    base: dict[str, object] = {
        "iss": f"https://login.microsoftonline.com/{TENANT}/v2.0",
        "aud": CLIENT_ID,
        "tid": TENANT,
        "oid": "00000000-0000-4000-8000-00000000000a",
        "nonce": "n-1",
        "exp": now + 3600,
        "nbf": now - 10,
        "iat": now - 10,
    }
    base.update(overrides)
    return base


def use_tenant(settings, tenant_id: str, allowed: tuple[str, ...] = ()) -> None:
    microsoft = replace(settings.DEPLOYMENT.microsoft, tenant_id=tenant_id, allowed_tenants=allowed)
    settings.DEPLOYMENT = replace(settings.DEPLOYMENT, microsoft=microsoft)


def test_it_accepts_a_valid_token(discovery) -> None:
    assert entra.id_token_problem(claims(), nonce="n-1") is None


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"nonce": "n-2"}, "the nonce does not match"),
        ({"aud": "another-app"}, "the token is for another application"),
        (
            {"iss": "https://login.microsoftonline.com/other/v2.0"},
            "the issuer does not match the tenant",
        ),
        ({"exp": time.time() - 3600}, "the token has expired"),
        ({"nbf": time.time() + 3600}, "the token is not valid yet"),
        ({"tid": ""}, "the token names no tenant or person"),
        ({"oid": ""}, "the token names no tenant or person"),
    ],
)
def test_it_refuses_a_bad_claim(discovery, overrides: dict[str, object], problem: str) -> None:
    assert entra.id_token_problem(claims(**overrides), nonce="n-1") == problem


def test_it_refuses_personal_accounts_under_organizations(discovery, settings) -> None:
    use_tenant(settings, "organizations")
    assert entra.tenant_allowed(TENANT)
    assert not entra.tenant_allowed(entra.MSA_TENANT)


def test_it_accepts_personal_accounts_under_common(discovery, settings) -> None:
    use_tenant(settings, "common")
    assert entra.tenant_allowed(entra.MSA_TENANT)


def test_it_holds_a_single_tenant_deployment_to_its_tenant(settings, monkeypatch) -> None:
    use_tenant(settings, TENANT)
    monkeypatch.setattr(
        entra, "discovery", lambda: {"issuer": f"https://login.microsoftonline.com/{TENANT}/v2.0"}
    )
    assert entra.tenant_allowed(TENANT)
    assert not entra.tenant_allowed("bbbbbbbb-0000-4000-8000-000000000002")


def test_it_applies_the_allow_list(discovery, settings) -> None:
    use_tenant(settings, "organizations", allowed=(TENANT,))
    assert entra.tenant_allowed(TENANT)
    assert not entra.tenant_allowed("bbbbbbbb-0000-4000-8000-000000000002")
    assert (
        entra.id_token_problem(
            claims(
                tid="bbbbbbbb-0000-4000-8000-000000000002",
                iss="https://login.microsoftonline.com/bbbbbbbb-0000-4000-8000-000000000002/v2.0",
            ),
            nonce="n-1",
        )
        == "people from tenant bbbbbbbb-0000-4000-8000-000000000002 may not sign in here"
    )


def test_it_refuses_a_token_signed_by_someone_else(microsoft_settings) -> None:
    # The fake's real key id: only the signature can give the forgery away.
    kid = requests.get(entra.discovery()["jwks_uri"], timeout=10).json()["keys"][0]["kid"]
    key = jwk.JWK.generate(kty="RSA", size=2048)
    forged = jwt.JWT(header={"alg": "RS256", "kid": kid}, claims=claims())
    forged.make_signed_token(key)
    with pytest.raises(entra.EntraError, match="signature check failed"):
        entra.id_token_claims(id_token=forged.serialize(), nonce="n-1")


def test_it_refuses_a_tampered_token(microsoft_settings) -> None:
    id_token = microsoft_settings.issue_tokens("alice", ["User.Read"])["id_token"]
    header, payload, signature = id_token.split(".")
    tampered = json.loads(base64.urlsafe_b64decode(payload + "=="))
    tampered["oid"] = microsoft_settings.bob.oid
    forged_payload = base64.urlsafe_b64encode(json.dumps(tampered).encode()).rstrip(b"=")
    with pytest.raises(entra.EntraError, match="signature check failed"):
        entra.id_token_claims(
            id_token=f"{header}.{forged_payload.decode()}.{signature}",
            nonce=tampered.get("nonce", ""),
        )

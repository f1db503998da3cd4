"""The fake Entra ID token endpoint: code exchange, client auth, PKCE, refresh, failures."""

from __future__ import annotations

import base64
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx2
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from tests.fakes.flows import (
    CALLBACK,
    new_verifier,
    redeem,
    refresh,
    sign_in,
    signed_in_tokens,
    token_post,
)
from tests.fakes.microsoft import FakeMicrosoft
from tests.fakes.people import ALICE


def b64decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def verified_claims(fake, token: str) -> dict[str, Any]:
    """Check the RS256 signature with the published key, as a relying party does."""
    keys = httpx2.get(f"{fake.url}/organizations/discovery/v2.0/keys").json()["keys"]
    header_part, payload_part, signature = token.split(".")
    header = json.loads(b64decode(header_part))
    [key] = [key for key in keys if key["kid"] == header["kid"]]
    numbers = rsa.RSAPublicNumbers(
        int.from_bytes(b64decode(key["e"]), "big"), int.from_bytes(b64decode(key["n"]), "big")
    )
    numbers.public_key().verify(
        b64decode(signature),
        f"{header_part}.{payload_part}".encode(),
        padding.PKCS1v15(),
        hashes.SHA256(),
    )
    assert (header["alg"], header["typ"]) == ("RS256", "JWT")
    claims: dict[str, Any] = json.loads(b64decode(payload_part))
    return claims


def assert_entra_error(
    response: httpx2.Response, status: int, error: str, code: int
) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    assert response.status_code == status, body
    assert body["error"] == error
    assert body["error_codes"] == [code]
    assert body["error_description"].startswith(f"AADSTS{code}: ")
    assert f"Trace ID: {body['trace_id']}" in body["error_description"]
    assert f"Correlation ID: {body['correlation_id']}" in body["error_description"]
    assert body["timestamp"] in body["error_description"]
    return body


def test_it_exchanges_a_code_for_tokens_shaped_like_entras(fake_microsoft) -> None:
    code, verifier = sign_in(fake_microsoft, "alice")
    response = redeem(fake_microsoft, code, verifier)
    body: dict[str, Any] = response.json()
    assert response.status_code == 200
    assert set(body) == {
        *("token_type", "scope", "expires_in", "ext_expires_in"),
        *("access_token", "refresh_token", "id_token"),
    }
    assert body["token_type"] == "Bearer"
    assert 3600 <= body["expires_in"] <= 5400
    assert body["ext_expires_in"] == body["expires_in"]
    assert body["scope"] == "email openid profile https://graph.microsoft.com/User.Read"
    assert body["refresh_token"].count(".") < 2  # opaque, not a JWT
    assert response.headers["cache-control"] == "no-store, no-cache"
    assert response.headers["pragma"] == "no-cache"
    assert [(r.grant_type, r.person, r.error) for r in fake_microsoft.token_requests] == [
        ("authorization_code", "alice", None)
    ]


def test_it_spells_scopes_short_when_asked(fake_microsoft) -> None:
    fake_microsoft.knobs.scope_style = "short"
    assert signed_in_tokens(fake_microsoft)["scope"] == "email openid profile User.Read"


def test_it_leaves_out_what_was_not_asked_for(fake_microsoft) -> None:
    code, verifier = sign_in(fake_microsoft, "alice", scope="openid User.Read")
    body = redeem(fake_microsoft, code, verifier, client_info="1").json()
    assert "refresh_token" not in body  # no offline_access
    claims = verified_claims(fake_microsoft, body["id_token"])
    assert "preferred_username" not in claims  # no profile
    assert json.loads(b64decode(body["client_info"])) == {"uid": ALICE.oid, "utid": ALICE.tid}


def test_it_issues_an_id_token_that_verifies_against_the_jwks(fake_microsoft) -> None:
    body = signed_in_tokens(fake_microsoft, "alice")
    claims = verified_claims(fake_microsoft, str(body["id_token"]))
    issuer = httpx2.get(
        f"{fake_microsoft.url}/organizations/v2.0/.well-known/openid-configuration"
    ).json()["issuer"]
    assert claims["iss"] == issuer.replace("{tenantid}", ALICE.tid)
    assert claims["aud"] == fake_microsoft.client_id
    assert (claims["tid"], claims["oid"]) == (ALICE.tid, ALICE.oid)
    assert claims["preferred_username"] == ALICE.username
    assert claims["name"] == ALICE.display_name
    assert claims["email"] == ALICE.mail
    assert claims["nonce"] == "nonce-1"
    assert claims["ver"] == "2.0"
    assert len(claims["sub"]) == 43  # pairwise: a hash of the person and the app
    assert claims["sub"] != ALICE.oid
    assert claims["nbf"] == claims["iat"] < claims["exp"]


def test_it_accepts_client_secret_basic(fake_microsoft) -> None:
    code, verifier = sign_in(fake_microsoft)
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK}
    form["code_verifier"] = verifier
    credentials = f"{fake_microsoft.client_id}:{fake_microsoft.client_secret}"
    basic = f"Basic {base64.b64encode(credentials.encode()).decode()}"
    response = token_post(fake_microsoft, form, headers={"Authorization": basic})
    assert response.status_code == 200, response.text


def test_it_decodes_a_form_encoded_basic_secret() -> None:
    # RFC 6749 §2.3.1: id and secret are form-urlencoded before base64.
    with FakeMicrosoft(client_secret="a+b/c:d e%") as fake:
        code, verifier = sign_in(fake)
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK}
        form["code_verifier"] = verifier
        encoded = f"{fake.client_id}:a%2Bb%2Fc%3Ad+e%25"
        basic = f"Basic {base64.b64encode(encoded.encode()).decode()}"
        assert token_post(fake, form, headers={"Authorization": basic}).status_code == 200


def test_it_refuses_a_wrong_or_missing_secret(fake_microsoft) -> None:
    code, verifier = sign_in(fake_microsoft)
    wrong = redeem(fake_microsoft, code, verifier, client_secret="not-the-secret")
    assert_entra_error(wrong, 401, "invalid_client", 7000215)
    basic = f"Basic {base64.b64encode(f'{fake_microsoft.client_id}:nope'.encode()).decode()}"
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK}
    wrong_basic = token_post(fake_microsoft, form, headers={"Authorization": basic})
    assert_entra_error(wrong_basic, 401, "invalid_client", 7000215)
    missing = redeem(fake_microsoft, code, verifier, client_secret="")
    assert_entra_error(missing, 401, "invalid_client", 7000218)
    assert redeem(fake_microsoft, code, verifier).status_code == 200  # the code was not spent


def test_it_refuses_an_unknown_client(fake_microsoft) -> None:
    code, verifier = sign_in(fake_microsoft)
    other = "00000000-0000-0000-0000-000000000000"
    response = redeem(fake_microsoft, code, verifier, client_id=other)
    assert_entra_error(response, 400, "unauthorized_client", 700016)


def test_it_redeems_a_code_once(fake_microsoft) -> None:
    code, verifier = sign_in(fake_microsoft)
    assert redeem(fake_microsoft, code, verifier).status_code == 200
    replay = redeem(fake_microsoft, code, verifier)
    assert_entra_error(replay, 400, "invalid_grant", 54005)


def test_it_refuses_an_unknown_or_expired_code(fake_microsoft) -> None:
    code, verifier = sign_in(fake_microsoft)
    unknown = redeem(fake_microsoft, f"{code}x", verifier)
    assert_entra_error(unknown, 400, "invalid_grant", 70000)
    fake_microsoft.expire_codes()
    assert_entra_error(redeem(fake_microsoft, code, verifier), 400, "invalid_grant", 70008)


@pytest.mark.parametrize(
    ("verifier", "code"), [("wrong", 501481), (new_verifier(), 501481), ("", 50148)]
)
def test_it_checks_the_pkce_verifier(fake_microsoft, verifier, code) -> None:
    grant_code, right = sign_in(fake_microsoft)
    response = redeem(fake_microsoft, grant_code, verifier, code_verifier=verifier)
    assert_entra_error(response, 400, "invalid_grant", code)
    # The attempt spent the code (RFC 6749 §10.5): even the right verifier is too late now.
    assert_entra_error(redeem(fake_microsoft, grant_code, right), 400, "invalid_grant", 54005)


def test_it_needs_the_same_redirect_uri(fake_microsoft) -> None:
    code, verifier = sign_in(fake_microsoft)
    response = redeem(fake_microsoft, code, verifier, redirect_uri=f"{CALLBACK}/other")
    assert_entra_error(response, 401, "invalid_client", 500112)


@pytest.mark.parametrize(
    ("form", "error", "code"),
    [
        ({"grant_type": "password"}, "unsupported_grant_type", 70003),
        ({"grant_type": ""}, "invalid_request", 900144),
        ({"grant_type": "refresh_token"}, "invalid_request", 900144),
        ({"grant_type": "authorization_code", "code": ""}, "invalid_request", 900144),
    ],
)
def test_it_refuses_malformed_token_requests(fake_microsoft, form, error, code) -> None:
    credentials = {"client_id": fake_microsoft.client_id}
    credentials["client_secret"] = fake_microsoft.client_secret
    sent = {name: value for name, value in {**credentials, **form}.items() if value}
    assert_entra_error(token_post(fake_microsoft, sent), 400, error, code)


def test_it_refuses_repeated_parameters(fake_microsoft) -> None:
    client = fake_microsoft.client_id
    body = f"grant_type=refresh_token&grant_type=authorization_code&client_id={client}"
    response = httpx2.post(
        f"{fake_microsoft.url}/organizations/oauth2/v2.0/token",
        content=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert_entra_error(response, 400, "invalid_request", 9002313)


def test_it_rotates_refresh_tokens_and_keeps_the_old_one_valid(fake_microsoft) -> None:
    first = str(signed_in_tokens(fake_microsoft)["refresh_token"])
    second = refresh(fake_microsoft, first).json()
    assert second["refresh_token"] != first
    assert second["access_token"]
    assert "nonce" not in verified_claims(fake_microsoft, second["id_token"])
    # The old one is not revoked by the refresh (wire shapes §1.4).
    assert refresh(fake_microsoft, first).status_code == 200
    assert refresh(fake_microsoft, second["refresh_token"]).status_code == 200


def test_it_refuses_revoked_refresh_tokens_of_that_person_only(fake_microsoft) -> None:
    alice = str(signed_in_tokens(fake_microsoft, "alice")["refresh_token"])
    bob = str(signed_in_tokens(fake_microsoft, "bob")["refresh_token"])
    fake_microsoft.revoke_refresh_tokens("alice")
    body = assert_entra_error(refresh(fake_microsoft, alice), 400, "invalid_grant", 50173)
    assert body["suberror"] == "bad_token"
    assert refresh(fake_microsoft, bob).status_code == 200


def test_it_refuses_expired_and_unknown_refresh_tokens(fake_microsoft) -> None:
    token = str(signed_in_tokens(fake_microsoft)["refresh_token"])
    assert_entra_error(refresh(fake_microsoft, "1.AXoAbogus"), 400, "invalid_grant", 70000)
    fake_microsoft.expire_refresh_tokens("alice")
    assert_entra_error(refresh(fake_microsoft, token), 400, "invalid_grant", 700082)


def test_it_refuses_a_refresh_asking_beyond_the_consent(fake_microsoft) -> None:
    token = str(signed_in_tokens(fake_microsoft)["refresh_token"])
    subset = refresh(fake_microsoft, token, scope="https://graph.microsoft.com/User.Read")
    assert subset.status_code == 200
    beyond = refresh(fake_microsoft, token, scope="User.Read Mail.Send")
    body = assert_entra_error(beyond, 400, "invalid_grant", 65001)
    assert body["suberror"] == "consent_required"


def test_it_fails_the_next_token_request_as_told(fake_microsoft) -> None:
    token = str(signed_in_tokens(fake_microsoft)["refresh_token"])
    fake_microsoft.fail_next_token(
        error="temporarily_unavailable",
        code=90033,
        message="Try again.",
        status=503,
        grant_type="refresh_token",
    )
    assert_entra_error(refresh(fake_microsoft, token), 503, "temporarily_unavailable", 90033)
    assert refresh(fake_microsoft, token).status_code == 200
    records = [(r.grant_type, r.person, r.error) for r in fake_microsoft.token_requests]
    assert records[-2:] == [
        ("refresh_token", "alice", "temporarily_unavailable"),
        ("refresh_token", "alice", None),
    ]


def test_it_counts_fifty_concurrent_refreshes_exactly(fake_microsoft) -> None:
    token = str(signed_in_tokens(fake_microsoft)["refresh_token"])
    with ThreadPoolExecutor(max_workers=50) as pool:
        responses = list(pool.map(lambda _: refresh(fake_microsoft, token), range(50)))
    assert [response.status_code for response in responses] == [200] * 50
    assert len({response.json()["refresh_token"] for response in responses}) == 50
    refreshes = [r for r in fake_microsoft.token_requests if r.grant_type == "refresh_token"]
    assert len(refreshes) == 50
    assert {(r.person, r.error) for r in refreshes} == {("alice", None)}


def test_it_issues_tokens_for_the_lifetime_and_latency_a_test_sets(fake_microsoft) -> None:
    fake_microsoft.knobs.access_token_lifetime = 60
    fake_microsoft.knobs.token_latency = 0.05
    body = signed_in_tokens(fake_microsoft)
    assert (body["expires_in"], body["ext_expires_in"]) == (60, 60)
    fake_microsoft.reset()
    assert fake_microsoft.knobs.access_token_lifetime is None
    assert fake_microsoft.knobs.token_latency == 0.0

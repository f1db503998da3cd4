"""The token endpoint: code exchange, refresh rotation, and every refusal an attacker meets."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.test import Client
from oauth2_provider.models import AccessToken, RefreshToken

from tests.oauth_bridge.conftest import (
    REDIRECT_URI,
    code_for,
    exchange,
    make_client,
    tokens_for,
)
from tests.pkce import Pkce

pytestmark = pytest.mark.django_db
MCP = "http://127.0.0.1:8000/mcp"


def refresh(application, refresh_token: str, **extra) -> Any:
    data = {
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
        "client_id": application.client_id,
        **extra,
    }
    return Client().post("/token/", data)


def test_it_issues_audience_bound_tokens(signed_in, public_client) -> None:
    pkce = Pkce()
    response = exchange(public_client, code_for(signed_in, public_client, pkce), pkce)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    data = response.json()
    assert data["token_type"] == "Bearer"
    assert data["expires_in"] == 3600
    assert set(data["scope"].split()) == {"mail.read", "calendar.read"}
    token = AccessToken.objects.get()
    assert token.resource == [MCP]
    # Stored hashed only (RFC 9700 §4): the row holds no usable token value.
    assert token.token == ""
    assert data["access_token"] not in str(list(AccessToken.objects.values()))


def test_it_refuses_a_wrong_pkce_verifier(signed_in, public_client) -> None:
    pkce = Pkce()
    code = code_for(signed_in, public_client, pkce)
    response = exchange(public_client, code, Pkce())
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert not AccessToken.objects.exists()


def test_it_refuses_a_missing_pkce_verifier(signed_in, public_client) -> None:
    pkce = Pkce()
    response = exchange(
        public_client, code_for(signed_in, public_client, pkce), pkce, code_verifier=None
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_it_refuses_an_altered_redirect_uri(signed_in, public_client) -> None:
    pkce = Pkce()
    code = code_for(signed_in, public_client, pkce)
    response = exchange(public_client, code, pkce, redirect_uri=f"{REDIRECT_URI}x")
    assert response.status_code == 400
    assert response.json()["error"] in ("invalid_request", "invalid_grant")
    assert not AccessToken.objects.exists()


@pytest.mark.parametrize(
    ("resource", "error"),
    [
        (None, "invalid_target"),
        ("https://other.example/mcp", "invalid_target"),
    ],
)
def test_it_requires_our_resource(signed_in, public_client, resource, error) -> None:
    pkce = Pkce()
    response = exchange(
        public_client, code_for(signed_in, public_client, pkce), pkce, resource=resource
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert response.json()["error"] == error
    assert not AccessToken.objects.exists()


def test_it_revokes_tokens_when_a_code_is_replayed(signed_in, public_client) -> None:
    pkce = Pkce()
    code = code_for(signed_in, public_client, pkce)
    first = exchange(public_client, code, pkce)
    assert first.status_code == 200
    replay = exchange(public_client, code, pkce)
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    assert not AccessToken.objects.exists()
    assert RefreshToken.objects.get().revoked is not None
    gone = refresh(public_client, first.json()["refresh_token"])
    assert gone.status_code == 400


def test_it_rotates_refresh_tokens(signed_in, public_client) -> None:
    tokens = tokens_for(signed_in, public_client)
    rotated = refresh(public_client, tokens["refresh_token"])
    assert rotated.status_code == 200
    assert rotated["Cache-Control"] == "no-store"
    new = rotated.json()
    assert new["refresh_token"] != tokens["refresh_token"]
    assert AccessToken.objects.get().resource == [MCP]


def test_it_revokes_the_family_when_a_refresh_token_is_replayed(signed_in, public_client) -> None:
    tokens = tokens_for(signed_in, public_client)
    rotated = refresh(public_client, tokens["refresh_token"]).json()
    replay = refresh(public_client, tokens["refresh_token"])
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    # The legitimate newer token dies with the family (RFC 9700 §4.14.2).
    assert refresh(public_client, rotated["refresh_token"]).status_code == 400
    assert not AccessToken.objects.exists()


def test_it_refuses_to_widen_the_resource_on_refresh(signed_in, public_client) -> None:
    tokens = tokens_for(signed_in, public_client)
    response = refresh(public_client, tokens["refresh_token"], resource="https://other.example/")
    assert response.status_code == 400
    assert response["Cache-Control"] == "no-store"
    assert response.json()["error"] == "invalid_target"


def test_it_authenticates_confidential_clients(signed_in) -> None:
    confidential = make_client(client_type="confidential")
    pkce = Pkce()
    code = code_for(signed_in, confidential, pkce)
    assert exchange(confidential, code, pkce).status_code == 401
    code = code_for(signed_in, confidential, pkce)
    basic = base64.b64encode(f"{confidential.client_id}:s3cret-client-secret".encode()).decode()
    response = Client().post(
        "/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "code_verifier": pkce.verifier,
            "resource": MCP,
        },
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )
    assert response.status_code == 200, response.content


def test_it_refuses_a_code_issued_to_another_client(signed_in, public_client) -> None:
    other = make_client(name="Other")
    pkce = Pkce()
    code = code_for(signed_in, public_client, pkce)
    response = exchange(other, code, pkce)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_it_revokes_tokens_on_request(signed_in, public_client) -> None:
    tokens = tokens_for(signed_in, public_client)
    response = Client().post(
        "/revoke_token/", {"token": tokens["access_token"], "client_id": public_client.client_id}
    )
    assert response.status_code == 200
    assert not AccessToken.objects.exists()


def test_it_introspects_tokens_for_their_client(signed_in) -> None:
    confidential = make_client(client_type="confidential")
    tokens = tokens_for(signed_in, confidential)
    basic = base64.b64encode(f"{confidential.client_id}:s3cret-client-secret".encode()).decode()
    response = Client().post(
        "/introspect/", {"token": tokens["access_token"]}, HTTP_AUTHORIZATION=f"Basic {basic}"
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["active"] is True
    assert data["aud"] == MCP or data["aud"] == [MCP]

"""Dynamic client registration (RFC 7591): open, validated and rate-limited."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from oauth2_provider.models import Application

from oauth_bridge.models import ClientProfile

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    cache.clear()


def register(metadata: Any, **extra: Any) -> Any:
    body = metadata if isinstance(metadata, str) else json.dumps(metadata)
    return Client().post("/register/", body, content_type="application/json", **extra)


def test_it_registers_a_public_native_client() -> None:
    response = register(
        {
            "client_name": "mcp-remote",
            "redirect_uris": ["http://localhost:3334/oauth/callback"],
            "token_endpoint_auth_method": "none",
            "grant_types": ["authorization_code", "refresh_token"],
        }
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert "client_secret" not in data
    application = Application.objects.get(client_id=data["client_id"])
    assert application.client_type == "public"
    assert application.registration_source == "dcr"
    assert ClientProfile.objects.get(application=application).application_type == "native"


def test_it_registers_a_confidential_web_client() -> None:
    response = register(
        {
            "client_name": "ChatGPT",
            "application_type": "web",
            "redirect_uris": ["https://chatgpt.com/connector_platform_oauth_redirect"],
            "token_endpoint_auth_method": "client_secret_post",
        }
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["client_secret"]
    application = Application.objects.get(client_id=data["client_id"])
    assert application.client_type == "confidential"
    assert application.profile.application_type == "web"
    # Only a hash of the secret is stored.
    assert application.client_secret != data["client_secret"]


@pytest.mark.parametrize(
    ("uri", "problem"),
    [
        ("http://evil.example/callback", "must use https, or http on a loopback address"),
        ("javascript:alert(1)", "must have a host"),
        ("https://claude.ai/cb#frag", "must not have a fragment"),
        ("https://user:pw@claude.ai/cb", "must not carry credentials"),
    ],
)
def test_it_refuses_unsafe_redirect_uris(uri: str, problem: str) -> None:
    response = register({"redirect_uris": [uri], "token_endpoint_auth_method": "none"})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_redirect_uri"
    assert problem in response.json()["error_description"]
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("{not json", "invalid_client_metadata"),
        ("[]", "invalid_client_metadata"),
        ({"redirect_uris": []}, "invalid_redirect_uri"),
        (
            {"redirect_uris": ["https://a.example/cb"], "application_type": "desktop"},
            "invalid_client_metadata",
        ),
        (
            {
                "redirect_uris": ["https://a.example/cb"],
                "token_endpoint_auth_method": "private_key_jwt",
            },
            "invalid_client_metadata",
        ),
    ],
)
def test_it_refuses_malformed_metadata(body: Any, error: str) -> None:
    response = register(body)
    assert response.status_code == 400
    assert response.json()["error"] == error
    assert not Application.objects.exists()


def test_it_refuses_oversized_requests() -> None:
    response = register({"redirect_uris": ["https://a.example/cb"], "client_name": "x" * 20000})
    assert response.status_code == 413
    assert not Application.objects.exists()


def test_it_rate_limits_registration_per_address(settings) -> None:
    settings.OAUTH_BRIDGE = {"REGISTRATIONS_PER_HOUR": 3}
    metadata = {"redirect_uris": ["http://127.0.0.1:9/cb"], "token_endpoint_auth_method": "none"}
    statuses = [register(metadata).status_code for _ in range(5)]
    assert statuses == [201, 201, 201, 429, 429]
    limited = register(metadata)
    assert int(limited["Retry-After"]) > 0
    assert limited.json()["error"] == "rate_limited"
    assert Application.objects.count() == 3
    # Another address is not affected.
    assert register(metadata, REMOTE_ADDR="10.1.2.3").status_code == 201

"""Only the authorization code and refresh token grants exist here (RFC 8414 metadata says
so): an anonymous registrant must not obtain tokens that no person approved."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from oauth2_provider.models import AccessToken, Application

from tests.oauth_bridge.conftest import make_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    cache.clear()


def register(metadata: dict[str, Any]) -> Any:
    return Client().post("/register/", json.dumps(metadata), content_type="application/json")


def client_credentials_token(client_id: str, secret: str) -> Any:
    return Client().post(
        "/token/",
        {
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": secret,
            "scope": "mail.read",
            "resource": settings.DEPLOYMENT.mcp_resource_url,
        },
    )


@pytest.mark.parametrize(
    "grant_types",
    [["client_credentials"], ["password"], ["implicit"], ["refresh_token", "client_credentials"]],
)
def test_it_refuses_to_register_other_grant_types(grant_types: list[str]) -> None:
    response = register(
        {
            "client_name": "Sneaky",
            "redirect_uris": ["https://sneaky.example/cb"],
            "token_endpoint_auth_method": "client_secret_post",
            "grant_types": grant_types,
        }
    )
    assert response.status_code == 400, response.content
    assert response.json()["error"] == "invalid_client_metadata"
    assert not Application.objects.exists()


def test_it_refuses_to_register_other_response_types() -> None:
    response = register(
        {
            "client_name": "Sneaky",
            "redirect_uris": ["https://sneaky.example/cb"],
            "response_types": ["token"],
        }
    )
    assert response.status_code == 400, response.content
    assert response.json()["error"] == "invalid_client_metadata"


def test_it_refuses_the_client_credentials_grant_even_for_a_client_that_has_it() -> None:
    # An operator-made client, or one switched through RFC 7592 management.
    application = make_client(client_type=Application.CLIENT_CONFIDENTIAL)
    Application.objects.filter(pk=application.pk).update(
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS
    )
    response = client_credentials_token(application.client_id, "s3cret-client-secret")
    assert response.status_code == 400, response.content
    assert response.json()["error"] == "unauthorized_client"
    assert not AccessToken.objects.filter(resource__isnull=False).exists()


def test_it_refuses_switching_grant_type_through_client_management() -> None:
    registered = register(
        {
            "client_name": "Sneaky",
            "redirect_uris": ["https://sneaky.example/cb"],
            "token_endpoint_auth_method": "client_secret_post",
        }
    ).json()
    response = Client().put(
        f"/register/{registered['client_id']}/",
        json.dumps(
            {
                "client_name": "Sneaky",
                "redirect_uris": ["https://sneaky.example/cb"],
                "token_endpoint_auth_method": "client_secret_post",
                "grant_types": ["client_credentials"],
            }
        ),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {registered['registration_access_token']}",
    )
    assert response.status_code == 400, response.content
    application = Application.objects.get(client_id=registered["client_id"])
    assert application.authorization_grant_type == Application.GRANT_AUTHORIZATION_CODE


@pytest.mark.parametrize("uri", ["http://evil.example/cb", "https://user:pw@evil.example/cb"])
def test_it_refuses_unsafe_redirect_uris_through_client_management(uri: str) -> None:
    registered = register(
        {"client_name": "Sneaky", "redirect_uris": ["https://sneaky.example/cb"]}
    ).json()
    response = Client().put(
        f"/register/{registered['client_id']}/",
        json.dumps({"client_name": "Sneaky", "redirect_uris": [uri]}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {registered['registration_access_token']}",
    )
    assert response.status_code == 400, response.content
    assert response.json()["error"] == "invalid_redirect_uri"
    application = Application.objects.get(client_id=registered["client_id"])
    assert application.redirect_uris == "https://sneaky.example/cb"

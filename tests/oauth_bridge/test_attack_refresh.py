"""A refresh token works only for the client it was issued to, while that client is enabled
and the person's approval stands."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from oauth2_provider.models import AccessToken

from oauth_bridge.services import approval_revoke, client_disable
from tests.oauth_bridge.conftest import make_client, tokens_for

pytestmark = pytest.mark.django_db


def refresh(client_id: str, refresh_token: str) -> Any:
    return Client().post(
        "/token/",
        {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": client_id},
    )


def test_it_refuses_a_refresh_token_from_another_client(signed_in, public_client) -> None:
    tokens = tokens_for(signed_in, public_client)
    thief = make_client(name="Thief")
    response = refresh(thief.client_id, tokens["refresh_token"])
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert not AccessToken.objects.filter(application=thief).exists()


def test_it_refuses_a_disabled_clients_refresh(signed_in, public_client) -> None:
    tokens = tokens_for(signed_in, public_client)
    client_disable(application=public_client)
    response = refresh(public_client.client_id, tokens["refresh_token"])
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert not AccessToken.objects.exists()


def test_it_refuses_a_refresh_after_the_person_revoked_the_app(
    signed_in, alice, public_client
) -> None:
    tokens = tokens_for(signed_in, public_client)
    approval_revoke(user=alice, application=public_client)
    response = refresh(public_client.client_id, tokens["refresh_token"])
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert not AccessToken.objects.exists()

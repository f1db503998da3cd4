"""Introspection (RFC 7662 §2.1, §4) and revocation (RFC 7009 §2.1) answer a client only
about its own tokens: another client learns nothing, and cannot revoke them."""

from __future__ import annotations

import base64

import pytest
from django.test import Client
from oauth2_provider.models import AccessToken

from tests.oauth_bridge.conftest import make_client, tokens_for

pytestmark = pytest.mark.django_db


def basic(client_id: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:s3cret-client-secret".encode()).decode()


def test_it_tells_another_client_nothing_about_a_token(signed_in, public_client) -> None:
    tokens = tokens_for(signed_in, public_client)
    nosy = make_client(name="Nosy", client_type="confidential")
    for token in (tokens["access_token"], tokens["refresh_token"]):
        response = Client().post(
            "/introspect/", {"token": token}, HTTP_AUTHORIZATION=basic(nosy.client_id)
        )
        assert response.status_code == 200, response.content
        assert response.json() == {"active": False}


def test_it_lets_no_other_client_revoke_a_token(signed_in, public_client) -> None:
    tokens = tokens_for(signed_in, public_client)
    nosy = make_client(name="Nosy", client_type="confidential")
    response = Client().post(
        "/revoke_token/",
        {"token": tokens["access_token"]},
        HTTP_AUTHORIZATION=basic(nosy.client_id),
    )
    assert response.status_code == 200  # RFC 7009 §2.2: no hint that the token exists
    assert AccessToken.objects.filter(application=public_client).count() == 1


def test_it_refuses_introspection_without_client_credentials(signed_in, public_client) -> None:
    tokens = tokens_for(signed_in, public_client)
    response = Client().post("/introspect/", {"token": tokens["access_token"]})
    assert response.status_code in (401, 403)
    assert b"active" not in response.content


def test_it_refuses_introspection_by_get(signed_in) -> None:
    # RFC 7662 §2.1: POST; a token in a query string ends up in access logs.
    confidential = make_client(client_type="confidential")
    tokens = tokens_for(signed_in, confidential)
    response = Client().get(
        "/introspect/",
        {"token": tokens["access_token"]},
        HTTP_AUTHORIZATION=basic(confidential.client_id),
    )
    assert response.status_code == 405

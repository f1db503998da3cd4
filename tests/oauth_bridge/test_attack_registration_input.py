"""Hostile registration metadata: look-alike loopback hosts, odd schemes, oversized and
script-carrying names. Refused, or shown only as text."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from oauth2_provider.models import Application

from tests.oauth_bridge.conftest import authorize_url, make_client
from tests.pkce import Pkce

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    cache.clear()


def register(metadata: dict[str, Any]) -> Any:
    return Client().post("/register/", json.dumps(metadata), content_type="application/json")


@pytest.mark.parametrize(
    "uri",
    [
        "http://localhost.evil.example/cb",
        "http://127.0.0.1.evil.example/cb",
        "http://127.1/cb",
        "http://0x7f000001/cb",
        "http://[::ffff:7f00:1]/cb",
        "HTTP://EVIL.EXAMPLE/cb",
        "data:text/html,<script>alert(1)</script>",
        "javascript://%0aalert(1)",
        "file:///etc/passwd",
        "https:///no-host",
        "https://claude.ai:99999/cb",
    ],
)
def test_it_refuses_look_alike_and_odd_redirect_uris(uri: str) -> None:
    response = register({"redirect_uris": [uri], "token_endpoint_auth_method": "none"})
    assert response.status_code == 400, response.content
    assert response.json()["error"] == "invalid_redirect_uri"
    assert not Application.objects.exists()


@pytest.mark.parametrize("uri", ["http://[::1]:4000/cb", "http://LOCALHOST:4000/cb"])
def test_it_accepts_loopback_in_any_spelling(uri: str) -> None:
    response = register({"redirect_uris": [uri], "token_endpoint_auth_method": "none"})
    assert response.status_code == 201, response.content


def test_it_refuses_an_oversized_client_name() -> None:
    response = register(
        {"client_name": "A" * 5000, "redirect_uris": ["https://a.example/cb"]},
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_client_metadata"
    assert not Application.objects.exists()


def test_it_shows_a_hostile_client_name_as_text() -> None:
    evil = make_client(name='<script>alert(1)</script><img src=x onerror="x()">')
    page = Client().get(authorize_url(evil, Pkce())).content.decode()
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_it_never_shows_a_homograph_redirect_host() -> None:
    # "\u0430pple.com" (a Cyrillic a): oauthlib takes only ASCII absolute URIs, so such a
    # redirect URI ends at the error page and never appears on a consent page.
    evil = make_client(redirect_uris="https://\u0430pple.com/cb")
    response = Client().get(authorize_url(evil, Pkce(), redirect_uri="https://\u0430pple.com/cb"))
    assert response.status_code == 400
    assert "Location" not in response
    assert 'name="allow"' not in response.content.decode()

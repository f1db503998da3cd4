"""Refusals at the authorization endpoint, each exactly as RFC 6749, 7636, 8707 and 9207 say."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from oauth_bridge.models import Approval
from oauth_bridge.services import client_disable
from tests.oauth_bridge.conftest import (
    REDIRECT_URI,
    authorize_url,
    make_client,
    redirect_params,
)
from tests.pkce import Pkce

pytestmark = pytest.mark.django_db


def test_it_shows_an_error_page_for_an_unknown_client() -> None:
    response = Client().get(
        "/authorize/?response_type=code&client_id=nope"
        f"&redirect_uri={REDIRECT_URI}&code_challenge=x"
        "&code_challenge_method=S256"
    )
    assert response.status_code == 400
    assert "Location" not in response


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://evil.example/callback",
        f"{REDIRECT_URI}?next=https://evil.example",
        f"{REDIRECT_URI}/extra",
        "http://127.0.0.1.evil.example:33418/callback",
    ],
)
def test_it_never_redirects_to_an_unregistered_uri(public_client, redirect_uri: str) -> None:
    response = Client().get(authorize_url(public_client, Pkce(), redirect_uri=redirect_uri))
    assert response.status_code == 400
    assert "Location" not in response


def test_it_accepts_another_loopback_port(public_client) -> None:
    # RFC 8252 §7.3: native apps get an ephemeral port at run time.
    response = Client().get(
        authorize_url(public_client, Pkce(), redirect_uri="http://127.0.0.1:50123/callback")
    )
    assert response.status_code == 200


@pytest.fixture
def known_client(db):
    """Pre-registered by an administrator: its redirect URI was vetted, errors go there."""
    return make_client(name="Contoso assistant", source="manual")


def test_it_shows_a_self_registered_client_its_error_instead_of_redirecting(
    public_client,
) -> None:
    # RFC 9700 §4.11.2: nobody vetted a self-registered client's redirect URI, so the browser
    # is not bounced there from our domain; the person gets the error response as a link.
    response = Client().get(authorize_url(public_client, Pkce(), code_challenge_method="plain"))
    assert response.status_code == 400
    assert "Location" not in response
    html = response.content.decode()
    link = html.split('class="button primary" href="')[1].split('"')[0].replace("&amp;", "&")
    assert link.startswith(REDIRECT_URI + "?")
    params = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    assert params["error"] == "invalid_request"
    assert params["state"] == "client-state-123"
    assert params["iss"] == "http://127.0.0.1:8000"


def test_it_requires_pkce(known_client) -> None:
    params = redirect_params(
        Client().get(
            authorize_url(known_client, Pkce(), code_challenge=None, code_challenge_method=None)
        )
    )
    assert params["error"] == "invalid_request"
    assert "challenge" in params["error_description"].lower()
    assert params["state"] == "client-state-123"
    assert params["iss"] == "http://127.0.0.1:8000"


def test_it_refuses_plain_pkce(known_client) -> None:
    params = redirect_params(
        Client().get(authorize_url(known_client, Pkce(), code_challenge_method="plain"))
    )
    assert params["error"] == "invalid_request"
    assert params["iss"] == "http://127.0.0.1:8000"


@pytest.mark.parametrize("resource", [None, "https://other.example/mcp", "http://127.0.0.1:8000"])
def test_it_requires_our_resource(known_client, resource: str | None) -> None:
    params = redirect_params(Client().get(authorize_url(known_client, Pkce(), resource=resource)))
    assert params["error"] == "invalid_target"
    assert params["state"] == "client-state-123"
    assert params["iss"] == "http://127.0.0.1:8000"


def test_it_refuses_unknown_scopes(known_client) -> None:
    params = redirect_params(
        Client().get(authorize_url(known_client, Pkce(), scope="mail.read admin"))
    )
    assert params["error"] == "invalid_scope"


def test_it_refuses_response_types_other_than_code(known_client) -> None:
    params = redirect_params(
        Client().get(authorize_url(known_client, Pkce(), response_type="token"))
    )
    assert params["error"] == "unauthorized_client"


def test_it_gives_default_scopes_when_none_are_asked(signed_in, alice, public_client) -> None:
    response = signed_in.get(authorize_url(public_client, Pkce(), scope=None))
    html = response.content.decode()
    assert "Read your mail" in html
    assert "Send" not in html
    assert not Approval.objects.exists()


def test_it_refuses_a_disabled_client_without_redirecting(public_client) -> None:
    client_disable(application=public_client)
    response = Client().get(authorize_url(public_client, Pkce()))
    assert response.status_code == 400
    assert "Location" not in response


@pytest.mark.parametrize("registered", ["http://localhost:3334/cb", "http://[::1]:3334/cb"])
def test_it_accepts_any_port_on_every_loopback_name(registered: str) -> None:
    application = make_client(redirect_uris=registered)
    other_port = registered.replace("3334", "61000")
    response = Client().get(authorize_url(application, Pkce(), redirect_uri=other_port))
    assert response.status_code == 200

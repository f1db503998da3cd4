"""The cast and the OAuth plumbing shared by the authorization-server tests."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from oauth2_provider.models import Application

from graph_tools.services import connection_store
from oauth_bridge.scopes import SCOPE_NAMES, graph_permissions_for
from tests.pkce import Pkce

REDIRECT_URI = "http://127.0.0.1:33418/callback"
TENANT = "aaaaaaaa-0000-4000-8000-000000000001"


def make_person(name: str, *, tenant: str = TENANT) -> User:
    oid = f"00000000-0000-4000-8000-{secrets.token_hex(6)}"
    return User.objects.create(
        username=f"{tenant}.{oid}", first_name=name.title(), email=f"{name}@contoso.example"
    )


def connect_microsoft(person: User, scopes: list[str]) -> None:
    """Give the person a Microsoft connection that grants what ``scopes`` need."""
    tenant, oid = person.username.split(".", 1)
    connection_store(
        user=person,
        tenant_id=tenant,
        object_id=oid,
        username=person.email,
        display_name=person.first_name,
        token_response={
            "access_token": "ms-access",
            "refresh_token": "ms-refresh",
            "expires_in": 3600,
            "token_type": "Bearer",
        },
        granted_permissions=graph_permissions_for(scopes),
    )


@pytest.fixture
def alice(db) -> User:
    return make_person("alice")


@pytest.fixture
def bob(db) -> User:
    return make_person("bob")


@pytest.fixture
def outsider(db) -> User:
    return make_person("outsider", tenant="bbbbbbbb-0000-4000-8000-000000000002")


def make_client(
    *,
    name: str = "Claude",
    client_type: str = Application.CLIENT_PUBLIC,
    source: str = Application.RegistrationSource.DCR,
    redirect_uris: str = REDIRECT_URI,
) -> Application:
    return Application.objects.create(
        name=name,
        client_type=client_type,
        redirect_uris=redirect_uris,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        registration_source=source,
        client_secret="s3cret-client-secret",
    )


@pytest.fixture
def public_client(db) -> Application:
    return make_client()


def authorize_query(application: Application, pkce: Pkce, **overrides: Any) -> dict[str, Any]:
    query = {
        "response_type": "code",
        "client_id": application.client_id,
        "redirect_uri": REDIRECT_URI,
        "code_challenge": pkce.challenge,
        "code_challenge_method": "S256",
        "state": "client-state-123",
        "scope": "mail.read calendar.read",
        "resource": settings.DEPLOYMENT.mcp_resource_url,
    }
    query.update(overrides)
    return {k: v for k, v in query.items() if v is not None}


def authorize_url(application: Application, pkce: Pkce, **overrides: Any) -> str:
    return "/authorize/?" + urlencode(authorize_query(application, pkce, **overrides))


def redirect_params(response: Any) -> dict[str, str]:
    assert response.status_code == 302, response.content[:500]
    location = response["Location"]
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def consent_handle(response: Any) -> str:
    content: str = response.content.decode()
    marker = 'name="request" value="'
    start = content.index(marker) + len(marker)
    return content[start : content.index('"', start)]


def code_for(browser: Client, application: Application, pkce: Pkce, **overrides: Any) -> str:
    """Run the authorization request for a signed-in, connected person; return the code."""
    response = browser.get(authorize_url(application, pkce, **overrides))
    if response.status_code == 200:
        response = browser.post(
            "/authorize/", {"request": consent_handle(response), "allow": "yes"}
        )
    params = redirect_params(response)
    assert "code" in params, params
    return params["code"]


def exchange(application: Application, code: str, pkce: Pkce, **overrides: Any) -> Any:
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "client_id": application.client_id,
        "code_verifier": pkce.verifier,
        "resource": settings.DEPLOYMENT.mcp_resource_url,
    }
    data.update(overrides)
    return Client().post("/token/", {k: v for k, v in data.items() if v is not None})


@pytest.fixture
def signed_in(client: Client, alice: User) -> Client:
    """A browser where alice is signed in and her Microsoft connection grants everything."""
    connect_microsoft(alice, list(SCOPE_NAMES))
    client.force_login(alice)
    return client


def tokens_for(signed_in: Client, application: Application, **overrides: Any) -> dict[str, Any]:
    pkce = Pkce()
    code = code_for(signed_in, application, pkce, **overrides)
    secret = "s3cret-client-secret" if application.client_type == "confidential" else None
    response = exchange(application, code, pkce, client_secret=secret)
    assert response.status_code == 200, response.content
    data: dict[str, Any] = response.json()
    return data


MICROSOFT_CALLBACK = "http://127.0.0.1:8000/oauth/microsoft/callback"


@pytest.fixture
def fake(microsoft_settings):
    """The fake of Microsoft, with our callback registered and alice signing in there."""
    microsoft_settings.register_redirect_uri(MICROSOFT_CALLBACK)
    microsoft_settings.sign_in_as("alice")
    return microsoft_settings


def allow(browser: Client, application: Application, pkce: Pkce, **overrides: Any) -> Any:
    """Answer the consent page; return the response (a redirect to Entra, or the code)."""
    page = browser.get(authorize_url(application, pkce, **overrides))
    assert page.status_code == 200, page.content[:300]
    return browser.post("/authorize/", {"request": consent_handle(page), "allow": "yes"})


def through_entra(browser: Client, to_entra: Any) -> Any:
    """Follow Entra's redirect back to our callback, as the browser would."""
    assert to_entra.status_code == 302
    back = requests.get(to_entra["Location"], allow_redirects=False, timeout=10)
    assert back.status_code == 302, back.text[:300]
    callback = urlsplit(back.headers["Location"])
    assert f"{callback.scheme}://{callback.netloc}{callback.path}" == MICROSOFT_CALLBACK
    return browser.get(f"{callback.path}?{callback.query}")

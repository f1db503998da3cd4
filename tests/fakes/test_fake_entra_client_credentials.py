"""The fake Entra's client_credentials grant: app-only tokens in one tenant, and its errors."""

from __future__ import annotations

import json

import httpx2
import pytest

from tests.fakes.flows import token_post
from tests.fakes.microsoft import FakeMicrosoft
from tests.fakes.people import CONTOSO
from tests.fakes.test_fake_entra_token import assert_entra_error, b64decode


def app_token(fake: FakeMicrosoft, *, tenant: str = CONTOSO.id, **form: str) -> httpx2.Response:
    return token_post(
        fake,
        {
            "grant_type": "client_credentials",
            "client_id": fake.client_id,
            "client_secret": fake.client_secret,
            "scope": "https://graph.microsoft.com/.default",
            **form,
        },
        tenant=tenant,
    )


@pytest.mark.parametrize("tenant", [CONTOSO.id, CONTOSO.domain])
def test_it_issues_an_app_only_token(fake_microsoft, tenant: str) -> None:
    response = app_token(fake_microsoft, tenant=tenant)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"token_type", "expires_in", "ext_expires_in", "access_token"}
    assert (body["token_type"], body["expires_in"]) == ("Bearer", 3599)
    # Graph's tokens are not for apps to verify (wire shapes §1.7): only read here.
    claims = json.loads(b64decode(body["access_token"].split(".")[1]))
    assert (claims["idtyp"], claims["tid"], claims["appid"]) == (
        "app",
        CONTOSO.id,
        fake_microsoft.client_id,
    )
    assert claims["oid"] == claims["sub"]
    assert "scp" not in claims
    assert [r.grant_type for r in fake_microsoft.token_requests] == ["client_credentials"]


def test_it_takes_the_default_scope_of_its_own_host(fake_microsoft) -> None:
    response = app_token(fake_microsoft, scope=f"{fake_microsoft.url}/.default")
    assert response.status_code == 200, response.text


def test_it_needs_a_tenant(fake_microsoft) -> None:
    assert_entra_error(
        app_token(fake_microsoft, tenant="organizations"), 400, "invalid_request", 9001023
    )


def test_it_needs_the_default_scope(fake_microsoft) -> None:
    response = app_token(fake_microsoft, scope="https://graph.microsoft.com/Mail.Read")
    assert_entra_error(response, 400, "invalid_scope", 1002012)


def test_it_refuses_an_unknown_tenant(fake_microsoft) -> None:
    response = app_token(fake_microsoft, tenant="nowhere.onmicrosoft.com")
    assert_entra_error(response, 400, "invalid_tenant", 90002)


def test_it_refuses_an_unknown_app(fake_microsoft) -> None:
    response = app_token(fake_microsoft, client_id="00000000-0000-4000-8000-000000000000")
    assert_entra_error(response, 400, "unauthorized_client", 700016)


def test_it_refuses_a_wrong_secret(fake_microsoft) -> None:
    response = app_token(fake_microsoft, client_secret="not-the-secret")
    assert_entra_error(response, 401, "invalid_client", 7000215)


def test_it_refuses_an_expired_secret_when_told(fake_microsoft) -> None:
    fake_microsoft.expire_client_secret()
    body = assert_entra_error(app_token(fake_microsoft), 401, "invalid_client", 7000222)
    assert fake_microsoft.client_id in body["error_description"]
    fake_microsoft.reset()
    assert app_token(fake_microsoft).status_code == 200

"""Non-ASCII text where a consent handle or an Entra ``state`` is expected is just a wrong
value (secrets.compare_digest raises TypeError on non-ASCII str): a clear 400, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.oauth_bridge.conftest import authorize_url, consent_handle
from tests.pkce import Pkce

pytestmark = pytest.mark.django_db


def test_it_refuses_a_non_ascii_consent_handle(public_client) -> None:
    browser = Client()
    consent_handle(browser.get(authorize_url(public_client, Pkce())))
    response = browser.post("/authorize/", {"request": "é" * 32, "allow": "yes"})
    assert response.status_code == 400
    assert "Location" not in response


def test_it_refuses_a_non_ascii_state(microsoft_settings, public_client) -> None:
    browser = Client()
    page = browser.get(authorize_url(public_client, Pkce()))
    browser.post("/authorize/", {"request": consent_handle(page), "allow": "yes"})
    response = browser.get("/oauth/microsoft/callback", {"state": "é", "code": "x"})
    assert response.status_code == 400
    assert "Location" not in response

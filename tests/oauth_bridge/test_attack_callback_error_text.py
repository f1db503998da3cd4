"""The ``error`` Entra's callback carries is attacker-controlled text (anyone holding their
own sign-in's ``state`` can send any): it never forges a log line or grows unbounded."""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from tests.oauth_bridge.conftest import authorize_url, consent_handle
from tests.pkce import Pkce

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "error", ["access_denied\n2026-01-01 CRITICAL admin signed in", "x" * 10_000, "bad\rcode"]
)
def test_it_logs_no_hostile_error_text(microsoft_settings, public_client, caplog, error) -> None:
    browser = Client()
    page = browser.get(authorize_url(public_client, Pkce()))
    to_entra = browser.post("/authorize/", {"request": consent_handle(page), "allow": "yes"})
    state = parse_qs(urlsplit(to_entra["Location"]).query)["state"][0]
    with caplog.at_level(logging.WARNING, logger="oauth_bridge"):
        response = browser.get("/oauth/microsoft/callback", {"state": state, "error": error})
    assert response.status_code == 400
    messages = [record.getMessage() for record in caplog.records]
    assert messages
    assert all("\n" not in m and "\r" not in m and len(m) < 300 for m in messages)

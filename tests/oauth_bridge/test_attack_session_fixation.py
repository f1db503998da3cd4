"""Signing in at the Entra callback gives the browser a new session key, so a session id
planted before sign-in (session fixation) is worth nothing afterwards."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests
from django.conf import settings
from django.test import Client

from tests.oauth_bridge.conftest import authorize_url, consent_handle, redirect_params
from tests.pkce import Pkce

pytestmark = pytest.mark.django_db
CALLBACK = "http://127.0.0.1:8000/oauth/microsoft/callback"


def test_it_changes_the_session_key_at_sign_in(microsoft_settings, public_client) -> None:
    microsoft_settings.register_redirect_uri(CALLBACK)
    microsoft_settings.sign_in_as("alice")
    browser = Client()
    page = browser.get(authorize_url(public_client, Pkce()))
    to_entra = browser.post("/authorize/", {"request": consent_handle(page), "allow": "yes"})
    planted = str(browser.session.session_key)
    back = requests.get(to_entra["Location"], allow_redirects=False, timeout=10)
    callback = urlsplit(back.headers["Location"])
    response = browser.get(f"{callback.path}?{callback.query}")
    assert "code" in redirect_params(response)
    assert browser.session.session_key != planted
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = planted
    assert attacker.get("/account/").status_code == 302  # to the sign-in page
    assert browser.get("/account/").status_code == 200

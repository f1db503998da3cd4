"""The consent page: shown before any sign-in, for every new client or wider scopes."""

from __future__ import annotations

import pytest
from django.test import Client

from oauth_bridge.models import Approval
from tests.oauth_bridge.conftest import (
    authorize_url,
    consent_handle,
    make_client,
    redirect_params,
)
from tests.pkce import Pkce

pytestmark = pytest.mark.django_db


def test_it_names_the_client_its_redirect_host_and_capabilities(public_client) -> None:
    response = Client().get(authorize_url(public_client, Pkce()))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'Allow <strong class="client-name">Claude</strong>' in html
    assert "Unverified" in html
    assert "127.0.0.1:33418" in html
    assert "Read your mail and attachments" in html
    assert "Read your calendars" in html
    assert 'name="allow"' in html
    assert html.count("<form") == 1


def test_it_does_not_mark_a_preregistered_client_unverified() -> None:
    application = make_client(name="Contoso bot", source="manual")
    html = Client().get(authorize_url(application, Pkce())).content.decode()
    assert "Unverified" not in html


def test_it_cannot_be_framed(public_client) -> None:
    response = Client().get(authorize_url(public_client, Pkce()))
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


def test_it_requires_the_csrf_token(public_client) -> None:
    browser = Client(enforce_csrf_checks=True)
    handle = consent_handle(browser.get(authorize_url(public_client, Pkce())))
    response = browser.post("/authorize/", {"request": handle, "allow": "yes"})
    assert response.status_code == 403


def test_it_answers_deny_with_access_denied(public_client) -> None:
    browser = Client()
    handle = consent_handle(browser.get(authorize_url(public_client, Pkce())))
    params = redirect_params(browser.post("/authorize/", {"request": handle, "deny": "yes"}))
    assert params["error"] == "access_denied"
    assert params["state"] == "client-state-123"
    assert params["iss"] == "http://127.0.0.1:8000"


def test_it_uses_each_pending_request_once(public_client) -> None:
    browser = Client()
    handle = consent_handle(browser.get(authorize_url(public_client, Pkce())))
    browser.post("/authorize/", {"request": handle, "deny": "yes"})
    again = browser.post("/authorize/", {"request": handle, "allow": "yes"})
    assert again.status_code == 400
    assert "This request has expired" in again.content.decode()


def test_it_keeps_pending_requests_to_their_browser(public_client) -> None:
    handle = consent_handle(Client().get(authorize_url(public_client, Pkce())))
    response = Client().post("/authorize/", {"request": handle, "allow": "yes"})
    assert response.status_code == 400


def test_it_skips_the_page_for_an_approved_client_and_scopes(
    signed_in, alice, public_client
) -> None:
    Approval.objects.create(user=alice, application=public_client, scope="calendar.read mail.read")
    params = redirect_params(signed_in.get(authorize_url(public_client, Pkce())))
    assert params["code"]
    assert params["iss"] == "http://127.0.0.1:8000"


def test_it_asks_again_for_wider_scopes(signed_in, alice, public_client) -> None:
    Approval.objects.create(user=alice, application=public_client, scope="mail.read")
    response = signed_in.get(authorize_url(public_client, Pkce()))
    assert response.status_code == 200
    assert "Read your calendars" in response.content.decode()


def test_it_asks_again_for_another_client(signed_in, alice, public_client) -> None:
    Approval.objects.create(user=alice, application=public_client, scope="calendar.read mail.read")
    other = make_client(name="Other assistant")
    assert signed_in.get(authorize_url(other, Pkce())).status_code == 200


def test_it_remembers_the_approval_after_allow(signed_in, alice, public_client) -> None:
    handle = consent_handle(signed_in.get(authorize_url(public_client, Pkce())))
    params = redirect_params(signed_in.post("/authorize/", {"request": handle, "allow": "yes"}))
    assert params["code"]
    assert Approval.objects.get(user=alice, application=public_client).scopes == {
        "mail.read",
        "calendar.read",
    }


def test_it_gives_up_when_the_client_was_deleted_meanwhile(public_client) -> None:
    browser = Client()
    handle = consent_handle(browser.get(authorize_url(public_client, Pkce())))
    public_client.delete()
    response = browser.post("/authorize/", {"request": handle, "allow": "yes"})
    assert response.status_code == 400
    assert "Location" not in response

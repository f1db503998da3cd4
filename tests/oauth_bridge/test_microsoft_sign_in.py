"""Sign-in through (the local fake of) Microsoft Entra: consent first, then Entra, then code."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth.models import User
from django.test import Client

from graph_tools.models import MicrosoftConnection
from oauth_bridge.models import Approval
from tests.oauth_bridge.conftest import (
    MICROSOFT_CALLBACK,
    allow,
    exchange,
    make_client,
    redirect_params,
    through_entra,
)
from tests.pkce import Pkce

pytestmark = pytest.mark.django_db
CALLBACK = MICROSOFT_CALLBACK


def entra_scopes(to_entra: Any) -> list[str]:
    query = parse_qs(urlsplit(str(to_entra["Location"])).query)
    return query["scope"][0].split()


def test_it_signs_the_person_in_and_issues_a_code(fake, public_client) -> None:
    browser, pkce = Client(), Pkce()
    params = redirect_params(through_entra(browser, allow(browser, public_client, pkce)))
    assert params["state"] == "client-state-123"
    assert params["iss"] == "http://127.0.0.1:8000"
    person = User.objects.get(username=f"{fake.alice.tid}.{fake.alice.oid}")
    assert person.first_name == fake.alice.display_name
    connection = MicrosoftConnection.objects.get(user=person)
    assert (connection.tenant_id, connection.object_id) == (fake.alice.tid, fake.alice.oid)
    assert "Mail.Read" in connection.granted_permissions
    assert Approval.objects.get(user=person).scopes == {"mail.read", "calendar.read"}
    tokens = exchange(public_client, params["code"], pkce)
    assert tokens.status_code == 200


def test_it_asks_entra_only_for_what_the_scopes_need(fake, public_client) -> None:
    browser = Client()
    to_entra = allow(browser, public_client, Pkce())
    scopes = entra_scopes(to_entra)
    assert len(scopes) == len(set(scopes))
    assert set(scopes) == {
        "openid",
        "profile",
        "offline_access",
        "User.Read",
        "Mail.Read",
        "MailboxSettings.Read",
        "Calendars.Read",
        "Calendars.Read.Shared",
    }
    query = parse_qs(urlsplit(to_entra["Location"]).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["nonce"][0]
    assert query["state"][0]
    assert query["redirect_uri"] == [CALLBACK]


def test_it_asks_entra_again_only_for_missing_permissions(fake, public_client) -> None:
    browser = Client()
    redirect_params(through_entra(browser, allow(browser, public_client, Pkce())))
    writer = make_client(name="Mail writer")
    to_entra = allow(browser, writer, Pkce(), scope="mail.read mail.send")
    assert set(entra_scopes(to_entra)) == {
        "openid",
        "profile",
        "offline_access",
        "User.Read",
        "Mail.Send",
    }
    params = redirect_params(through_entra(browser, to_entra))
    assert params["code"]
    connection = MicrosoftConnection.objects.get()
    assert {"Mail.Read", "Mail.Send"} <= set(connection.granted_permissions)


def test_it_skips_entra_when_permissions_are_already_granted(fake, public_client) -> None:
    browser = Client()
    redirect_params(through_entra(browser, allow(browser, public_client, Pkce())))
    other = make_client(name="Second assistant")
    params = redirect_params(allow(browser, other, Pkce(), scope="mail.read"))
    assert params["code"]


@pytest.mark.parametrize("state", ["forged-state", ""])
def test_it_refuses_a_forged_state(fake, public_client, state: str) -> None:
    browser = Client()
    to_entra = allow(browser, public_client, Pkce())
    back = requests.get(to_entra["Location"], allow_redirects=False, timeout=10)
    callback = urlsplit(back.headers["Location"])
    query = {k: v[0] for k, v in parse_qs(callback.query).items()}
    response = browser.get(callback.path, {**query, "state": state})
    assert response.status_code == 400
    assert "Location" not in response
    assert not MicrosoftConnection.objects.exists()


def test_it_refuses_a_replayed_callback(fake, public_client) -> None:
    browser = Client()
    to_entra = allow(browser, public_client, Pkce())
    back = requests.get(to_entra["Location"], allow_redirects=False, timeout=10)
    callback = urlsplit(back.headers["Location"])
    first = browser.get(f"{callback.path}?{callback.query}")
    assert first.status_code == 302
    replay = browser.get(f"{callback.path}?{callback.query}")
    assert replay.status_code == 400
    assert "Location" not in replay


def test_it_refuses_a_callback_in_another_browser(fake, public_client) -> None:
    to_entra = allow(Client(), public_client, Pkce())
    back = requests.get(to_entra["Location"], allow_redirects=False, timeout=10)
    callback = urlsplit(back.headers["Location"])
    response = Client().get(f"{callback.path}?{callback.query}")
    assert response.status_code == 400
    assert not MicrosoftConnection.objects.exists()


@pytest.mark.parametrize(
    ("failure", "title", "oauth_error"),
    [
        ("user_declined", "You declined the Microsoft permissions", "access_denied"),
        ("admin_approval", "Your administrator must approve these permissions", "access_denied"),
        ("consent_required", "Microsoft needs your consent first", "access_denied"),
    ],
)
def test_it_explains_entra_errors_and_ends_the_request(
    fake, public_client, failure: str, title: str, oauth_error: str
) -> None:
    fake.fail_next_authorize(failure)
    browser = Client()
    response = through_entra(browser, allow(browser, public_client, Pkce()))
    assert response.status_code == 400
    html = response.content.decode()
    assert title in html
    assert "Return to Claude" in html
    return_url = html.split('class="button primary" href="')[1].split('"')[0].replace("&amp;", "&")
    params = {k: v[0] for k, v in parse_qs(urlsplit(return_url).query).items()}
    assert params["error"] == oauth_error
    assert params["state"] == "client-state-123"
    assert params["iss"] == "http://127.0.0.1:8000"
    assert return_url.startswith("http://127.0.0.1:33418/callback?")


def test_it_refuses_a_tenant_outside_the_allow_list(fake, public_client, settings) -> None:
    microsoft = replace(settings.DEPLOYMENT.microsoft, allowed_tenants=(fake.tenant.id,))
    settings.DEPLOYMENT = replace(settings.DEPLOYMENT, microsoft=microsoft)
    fake.sign_in_as("outsider")
    browser = Client()
    response = through_entra(browser, allow(browser, public_client, Pkce()))
    assert response.status_code == 400
    assert "Your organisation cannot use this server" in response.content.decode()
    assert not User.objects.exists()


def test_it_tells_people_apart_by_tenant_and_object_id(fake, public_client) -> None:
    first = Client()
    redirect_params(through_entra(first, allow(first, public_client, Pkce())))
    fake.sign_in_as("bob")
    second = Client()
    redirect_params(through_entra(second, allow(second, public_client, Pkce())))
    assert User.objects.count() == 2
    assert MicrosoftConnection.objects.count() == 2
    assert {c.object_id for c in MicrosoftConnection.objects.all()} == {
        fake.alice.oid,
        fake.bob.oid,
    }


def test_it_reports_entra_token_errors(fake, public_client) -> None:
    fake.fail_next_token(
        error="invalid_client", code=7000215, message="Invalid client secret provided.", status=401
    )
    browser = Client()
    response = through_entra(browser, allow(browser, public_client, Pkce()))
    assert response.status_code == 400
    html = response.content.decode()
    assert "client secret is wrong or expired" in html
    assert "AADSTS7000215" in html
    assert not MicrosoftConnection.objects.exists()

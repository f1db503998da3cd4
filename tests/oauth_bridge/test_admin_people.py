"""The People page: each person's Microsoft connection (state, never tokens), approved
clients with their scopes and recent tool calls; "revoke all access" and "force a new
Microsoft sign-in" also end their browser sessions, whatever SESSION_ENGINE keeps them in."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from oauth2_provider.models import AccessToken

from graph_tools.models import MicrosoftConnection
from mcp_gateway.models import ToolCall
from oauth_bridge.models import Approval
from oauth_bridge.scopes import SCOPE_NAMES
from oauth_bridge.services import person_sessions_end
from tests.oauth_bridge.conftest import REDIRECT_URI, allow, connect_microsoft, tokens_for
from tests.pkce import Pkce

pytestmark = pytest.mark.django_db
PEOPLE = "/admin/auth/user/"
ENGINES = [
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
    "django.contrib.sessions.backends.cache",
    "django.contrib.sessions.backends.signed_cookies",
]


@pytest.fixture
def calls(alice, public_client) -> None:
    for i in range(25):
        ToolCall.objects.create(
            person=alice,
            client=public_client,
            client_name="Claude",
            tool=f"tool_{i:02}",
            outcome="ok",
        )


def test_it_shows_the_connection_approvals_and_recent_calls(
    admin_browser, signed_in, alice, public_client, calls
) -> None:
    issued = tokens_for(signed_in, public_client)
    MicrosoftConnection.objects.filter(user=alice).update(
        needs_sign_in=True, needs_sign_in_reason="refresh token expired (AADSTS700082)"
    )
    html = admin_browser.get(f"{PEOPLE}{alice.pk}/change/").content.decode()
    for shown in ("AADSTS700082", "Mail.Read", "calendar.read mail.read", "Claude", "tool_24"):
        assert shown in html
    assert "tool_05" in html
    assert "tool_04" not in html  # the last 20 only
    assert f"/admin/mcp_gateway/toolcall/?person={alice.username}" in html
    for secret in ("ms-access", "ms-refresh", issued["access_token"], issued["refresh_token"]):
        assert secret not in html


def test_it_lists_people_without_loading_microsoft_tokens(admin_browser, signed_in, alice) -> None:
    MicrosoftConnection.objects.filter(user=alice).update(needs_sign_in=True)
    with CaptureQueriesContext(connection) as captured:
        response = admin_browser.get(PEOPLE)
    assert "alice@contoso.example" in response.content.decode()
    needing = {
        person.username: person.microsoft_needs_sign_in
        for person in response.context["cl"].result_list
    }
    assert needing[alice.username] is True
    assert not any("access_token" in query["sql"] for query in captured)


def use_engine(engine: str, settings, admin_browser: Client) -> None:
    settings.SESSION_ENGINE = engine
    admin_browser.force_login(User.objects.get(username="admin"))  # a session of this engine


def signed_in_browser(person) -> Client:
    connect_microsoft(person, list(SCOPE_NAMES))
    browser = Client()
    browser.force_login(person)
    assert browser.get("/account/").status_code == 200
    return browser


@pytest.mark.parametrize("engine", ENGINES)
def test_it_revokes_all_access_and_ends_browser_sessions(
    engine, settings, fake, admin_browser, alice, bob, public_client
) -> None:
    use_engine(engine, settings, admin_browser)
    alices, bobs = signed_in_browser(alice), signed_in_browser(bob)
    tokens_for(alices, public_client)
    response = admin_browser.post(
        PEOPLE, {"action": "revoke_all_access", "_selected_action": [alice.pk]}
    )
    assert response.status_code == 302
    assert not AccessToken.objects.filter(user=alice).exists()
    assert not Approval.objects.filter(user=alice).exists()
    assert not MicrosoftConnection.objects.filter(user=alice).exists()
    signed_out = alices.get("/account/")
    assert signed_out.status_code == 302
    assert signed_out["Location"].startswith("/account/sign-in")
    # Approving a client now goes through Entra; it never hands out a code directly.
    approved = allow(alices, public_client, Pkce())
    assert not approved["Location"].startswith(REDIRECT_URI)
    assert bobs.get("/account/").status_code == 200


def test_it_forces_a_new_microsoft_sign_in(admin_browser, alice, bob) -> None:
    alices, bobs = signed_in_browser(alice), signed_in_browser(bob)
    response = admin_browser.post(
        PEOPLE, {"action": "require_sign_in", "_selected_action": [alice.pk]}
    )
    assert response.status_code == 302
    connection_ = MicrosoftConnection.objects.get(user=alice)
    assert connection_.needs_sign_in
    assert connection_.needs_sign_in_reason == "an administrator asked for a new sign-in"
    assert not MicrosoftConnection.objects.get(user=bob).needs_sign_in
    assert alices.get("/account/").status_code == 302
    assert bobs.get("/account/").status_code == 200


def test_it_deletes_the_stored_sessions_of_a_person_with_a_password(alice, bob) -> None:
    """The configured engine keeps sessions in the database: they are found and deleted, and
    a local password (an administrator's) stays as it was."""
    alice.set_password("a-local-password-123")
    alice.save()
    browsers = [Client(), Client(), Client()]
    for browser, person in zip(browsers, (alice, alice, bob), strict=True):
        browser.force_login(person)
    assert person_sessions_end(user=alice) == 2
    alice.refresh_from_db()
    assert alice.check_password("a-local-password-123")
    assert Session.objects.count() == 1
    assert [browser.get("/account/").status_code for browser in browsers] == [302, 302, 200]

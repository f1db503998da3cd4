"""The admin shows clients, people, their Microsoft connection and approvals, and cuts access
in one click; no token or secret value ever appears in its pages."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from oauth2_provider.models import AccessToken, Application
from oauthlib.common import Request

from graph_tools.models import MicrosoftConnection
from oauth_bridge.models import Approval, ClientProfile
from oauth_bridge.validators import McpOAuth2Validator
from tests.oauth_bridge.conftest import make_client, tokens_for

pytestmark = pytest.mark.django_db
MCP = "http://127.0.0.1:8000/mcp"


@pytest.fixture
def issued(signed_in, alice, public_client) -> dict[str, str]:
    return tokens_for(signed_in, public_client)


def pages(admin_browser: Client, alice: User, application: Application) -> list[str]:
    connection = MicrosoftConnection.objects.get(user=alice)
    approval = Approval.objects.get(user=alice)
    urls = [
        "/admin/oauth2_provider/application/",
        f"/admin/oauth2_provider/application/{application.pk}/change/",
        "/admin/auth/user/",
        f"/admin/auth/user/{alice.pk}/change/",
        "/admin/oauth_bridge/approval/",
        f"/admin/oauth_bridge/approval/{approval.pk}/change/",
        "/admin/graph_tools/microsoftconnection/",
        f"/admin/graph_tools/microsoftconnection/{connection.pk}/change/",
        "/admin/oauth2_provider/accesstoken/",
        "/admin/oauth2_provider/refreshtoken/",
    ]
    html = []
    for url in urls:
        response = admin_browser.get(url)
        assert response.status_code == 200, url
        html.append(response.content.decode())
    return html


def test_it_never_shows_a_token_or_secret(admin_browser, alice, public_client, issued) -> None:
    secrets = [
        issued["access_token"],
        issued["refresh_token"],
        "ms-access",
        "ms-refresh",
        "s3cret-client-secret",
    ]
    for html in pages(admin_browser, alice, public_client):
        for secret in secrets:
            assert secret not in html


def test_it_shows_a_person_with_their_connection_and_approvals(
    admin_browser, alice, issued
) -> None:
    html = admin_browser.get(f"/admin/auth/user/{alice.pk}/change/").content.decode()
    connection = MicrosoftConnection.objects.get(user=alice)
    assert connection.object_id in html
    assert "Mail.Read" in html
    assert "calendar.read mail.read" in html  # the approval's scopes
    assert "ms-access" not in html


def test_it_shows_the_registration_source_of_clients(admin_browser, public_client) -> None:
    make_client(name="Pre-registered", source="manual")
    html = admin_browser.get("/admin/oauth2_provider/application/").content.decode()
    assert "Dynamic Client Registration" in html
    assert "Manual" in html


def test_it_shows_a_persons_microsoft_connection(admin_browser, alice, issued) -> None:
    connection = MicrosoftConnection.objects.get(user=alice)
    html = admin_browser.get(
        f"/admin/graph_tools/microsoftconnection/{connection.pk}/change/"
    ).content.decode()
    assert "Mail.Read" in html
    assert connection.tenant_id in html


def test_it_disables_a_client_and_revokes_its_tokens(admin_browser, public_client, issued) -> None:
    response = admin_browser.post(
        "/admin/oauth2_provider/application/",
        {"action": "disable_clients", "_selected_action": [public_client.pk]},
    )
    assert response.status_code == 302
    assert ClientProfile.objects.get(application=public_client).disabled_at is not None
    assert not AccessToken.objects.exists()
    request = Request(MCP)
    assert not McpOAuth2Validator().validate_bearer_token(issued["access_token"], [], request)
    refreshed = Client().post(
        "/token/",
        {
            "grant_type": "refresh_token",
            "refresh_token": issued["refresh_token"],
            "client_id": public_client.client_id,
        },
    )
    assert refreshed.status_code == 401
    assert refreshed.json()["error"] == "invalid_client"


def test_it_revokes_all_of_a_persons_access(
    admin_browser, alice, bob, public_client, issued
) -> None:
    Approval.objects.create(user=bob, application=public_client, scope="mail.read")
    response = admin_browser.post(
        "/admin/auth/user/", {"action": "revoke_all_access", "_selected_action": [alice.pk]}
    )
    assert response.status_code == 302
    assert not AccessToken.objects.filter(user=alice).exists()
    assert not Approval.objects.filter(user=alice).exists()
    assert not MicrosoftConnection.objects.filter(user=alice).exists()
    assert Approval.objects.filter(user=bob).exists()

"""No admin page ever shows a token, a secret or a mail body: every registered changelist,
change page and add page, the dashboard and the CSV export are walked with data that holds
known values of each (MCP access, refresh and authorization codes, Microsoft tokens, client
secrets plain and hashed, a mail body sent through a real tool call)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, Grant, RefreshToken

from graph_tools.services import connection_store
from mcp_gateway.models import ToolCall
from oauth_bridge.models import Approval
from tests.mcp_gateway.conftest import modern_call, modern_headers

pytestmark = pytest.mark.django_db(transaction=True)
MAIL_BODY = "Dear Bob, the merger code word is BLUEBIRD-7731"
SECRETS = [
    MAIL_BODY,
    "BLUEBIRD-7731",
    "ms-access-token-SECRET-aaaa",
    "ms-refresh-token-SECRET-bbbb",
    "refresh-token-SECRET-cccc",
    "authorization-code-SECRET-dddd",
    "plain-client-secret-SECRET-eeee",
    "hashed-client-secret-SECRET-ffff",
]


def seed(alice: User, assistant: Application, mcp_token: str) -> list[str]:
    """Everything else worth hiding, and the values as stored (hashes included)."""
    connection_store(
        user=alice,
        tenant_id="tenant-1",
        object_id="object-1",
        username="alice@contoso.example",
        display_name="Alice",
        token_response={
            "access_token": "ms-access-token-SECRET-aaaa",
            "refresh_token": "ms-refresh-token-SECRET-bbbb",
            "expires_in": 3600,
        },
        granted_permissions=["Mail.Send"],
    )
    access = AccessToken.objects.get(user=alice)
    RefreshToken.objects.create(
        user=alice, application=assistant, token="refresh-token-SECRET-cccc", access_token=access
    )
    Grant.objects.create(
        user=alice,
        application=assistant,
        code="authorization-code-SECRET-dddd",
        expires=timezone.now() + timedelta(minutes=1),
        redirect_uri="http://127.0.0.1:3000/callback",
        scope="mail.send",
    )
    Approval.objects.create(user=alice, application=assistant, scope="mail.send")
    plain = Application.objects.create(
        name="Confidential",
        client_type="confidential",
        authorization_grant_type="authorization-code",
        redirect_uris="https://app.example/cb",
        client_secret="plain-client-secret-SECRET-eeee",
        hash_client_secret=False,
    )
    hashed = Application.objects.create(
        name="Hashed",
        client_type="confidential",
        authorization_grant_type="authorization-code",
        redirect_uris="https://app.example/cb",
        client_secret="hashed-client-secret-SECRET-ffff",
    )
    stored = Application.objects.filter(pk__in=[plain.pk, hashed.pk])
    columns = [*stored.values_list("client_secret", flat=True), access.token, mcp_token]
    return [value for value in columns if value]


def admin_pages() -> list[str]:
    urls = ["/admin/", "/admin/dashboard/", "/admin/mcp_gateway/toolcall/export.csv"]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        urls.append(reverse("admin:{}_{}_add".format(*info)))
        for pk in model._default_manager.values_list("pk", flat=True)[:5]:
            try:
                urls.append(reverse("admin:{}_{}_change".format(*info), args=[pk]))
            except NoReverseMatch:
                continue
    return urls


def walk(secrets: list[str]) -> int:
    browser = Client()
    browser.force_login(User.objects.create_superuser("root", "root@example.com", "pw-123456"))
    for url in admin_pages():
        response = browser.get(url)
        assert response.status_code in (200, 403), (url, response.status_code)
        html = (b"".join(response) if response.streaming else response.content).decode()
        for secret in secrets:
            assert secret not in html, (url, secret)
    return len(admin_pages())


@pytest.mark.filterwarnings("ignore:StreamingHttpResponse must consume asynchronous iterators")
async def test_it_shows_no_token_secret_or_mail_body_anywhere(
    gateway, alice, issue_token, assistant
) -> None:
    mcp_token = await issue_token(alice, scope="mail.send")
    sent = await gateway.post(
        "/mcp",
        json=modern_call("note_send", {"text": MAIL_BODY}),
        headers=modern_headers(mcp_token, "note_send"),
    )
    assert sent.status_code == 200
    assert await ToolCall.objects.filter(person=alice, outcome="ok").aexists()
    stored = await sync_to_async(seed)(alice, assistant, mcp_token)
    walked = await sync_to_async(walk)([*SECRETS, *stored])
    assert walked > 25  # every registered admin, with its objects

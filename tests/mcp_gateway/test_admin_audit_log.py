"""The audit log filters by person, client, tool, outcome and date, and exports what it shows
as CSV: streamed, formula-safe, staff only."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import cast

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.models import Permission, User
from django.test import AsyncClient, Client
from django.utils import timezone
from oauth2_provider.models import Application

from mcp_gateway.admin import CSV_BATCH
from mcp_gateway.models import ToolCall

AUDIT = "/admin/mcp_gateway/toolcall/"
EXPORT = f"{AUDIT}export.csv"


def call(person, client: Application | None, tool: str, outcome: str = "ok", **extra) -> ToolCall:
    return ToolCall.objects.create(
        person=person,
        client=client,
        client_name=extra.pop("client_name", client.name if client else "gone"),
        tool=tool,
        outcome=outcome,
        **extra,
    )


@pytest.fixture
def other_client() -> Application:
    return Application.objects.create(
        name="Other Assistant",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="http://127.0.0.1:3001/callback",
    )


@pytest.fixture
def calls(alice, bob, assistant, other_client) -> None:
    call(alice, assistant, "whoami")
    call(alice, other_client, "mail_list", "tool_error")
    call(bob, assistant, "mail_send", "denied")
    old = call(bob, other_client, "calendar_list")
    ToolCall.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))


def tools(response) -> list[str]:
    return sorted(row.tool for row in response.context["cl"].result_list)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"person": "alice"}, ["mail_list", "whoami"]),
        ({"person": "BOB@example.com"}, ["calendar_list", "mail_send"]),
        ({"client": "Other Assistant"}, ["calendar_list", "mail_list"]),
        ({"person": "alice", "client": "Test Assistant"}, ["whoami"]),
        ({"outcome__exact": "denied"}, ["mail_send"]),
        ({"tool": "whoami"}, ["whoami"]),
        (
            {"created_at__gte": "2000-01-01T00:00:00+00:00", "person": "bob"},
            ["calendar_list", "mail_send"],
        ),
        (
            {"created_at__gte": (timezone.now() - timedelta(days=7)).isoformat()},
            ["mail_list", "mail_send", "whoami"],
        ),
        ({"person": "nobody"}, []),
    ],
)
def test_it_filters_by_person_client_tool_outcome_and_date(
    admin_browser, calls, query, expected
) -> None:
    response = admin_browser.get(AUDIT, query)
    assert response.status_code == 200
    assert tools(response) == expected


@pytest.mark.django_db
def test_it_filters_by_client_id(admin_browser, calls, other_client) -> None:
    response = admin_browser.get(AUDIT, {"client": other_client.client_id})
    assert tools(response) == ["calendar_list", "mail_list"]


@pytest.mark.django_db
def test_it_keeps_the_other_filters_in_the_person_filter_form(admin_browser, calls) -> None:
    html = admin_browser.get(AUDIT, {"outcome__exact": "ok", "q": "who"}).content.decode()
    assert '<input type="hidden" name="outcome__exact" value="ok">' in html
    assert '<input type="hidden" name="q" value="who">' in html
    assert f'href="{EXPORT}?outcome__exact=ok&amp;q=who"' in html


async def rows_of(browser: AsyncClient, query: dict[str, str] | None = None) -> list[list[str]]:
    response = await browser.get(EXPORT, query or {})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="tool-calls-')
    streamed = cast(AsyncIterator[bytes], getattr(response, "streaming_content"))  # noqa: B009
    body = b"".join([chunk async for chunk in streamed]).decode()
    return list(csv.reader(io.StringIO(body)))


@pytest.fixture
async def staff_browser(db) -> AsyncClient:
    admin = await sync_to_async(User.objects.create_superuser)(
        "auditor", "a@example.com", "pw-123456"
    )
    browser = AsyncClient()
    await browser.aforce_login(admin)
    return browser


@pytest.mark.django_db(transaction=True)
async def test_it_exports_what_the_filters_show(staff_browser, calls) -> None:
    rows = await rows_of(staff_browser, {"person": "alice"})
    assert rows[0][:7] == [
        "time (UTC)",
        "person",
        "e-mail",
        "client id",
        "client",
        "tool",
        "outcome",
    ]
    assert [(row[1], row[5], row[6]) for row in rows[1:]] == [
        ("alice", "mail_list", "tool_error"),
        ("alice", "whoami", "ok"),
    ]


@pytest.mark.django_db(transaction=True)
async def test_it_streams_every_row_in_batches(staff_browser, alice, assistant) -> None:
    count = CSV_BATCH * 2 + 7
    await ToolCall.objects.abulk_create(
        ToolCall(person=alice, client=assistant, client_name="A", tool=f"t{i}", outcome="ok")
        for i in range(count)
    )
    rows = await rows_of(staff_browser)
    assert [row[5] for row in rows[1:]] == [f"t{i}" for i in reversed(range(count))]


@pytest.mark.django_db(transaction=True)
async def test_it_defuses_spreadsheet_formulas(staff_browser, alice, assistant) -> None:
    hostile = ['=HYPERLINK("http://evil.example")', "+1+1", "-2", "@SUM(A1)", "\tx", "\rx", "fine"]
    for name in hostile:
        await ToolCall.objects.acreate(
            person=alice, client=assistant, client_name=name, tool="t", outcome="ok"
        )
    rows = await rows_of(staff_browser)
    assert sorted(row[4] for row in rows[1:]) == sorted(
        ['\'=HYPERLINK("http://evil.example")', "'+1+1", "'-2", "'@SUM(A1)", "'\tx", "'\rx", "fine"]
    )


@pytest.mark.django_db
def test_it_exports_for_staff_with_the_view_permission_only(alice, calls) -> None:
    browser = Client()
    browser.force_login(alice)
    response = browser.get(EXPORT)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    alice.is_staff = True
    alice.save()
    assert browser.get(EXPORT).status_code == 403
    alice.user_permissions.add(Permission.objects.get(codename="view_toolcall"))
    assert browser.get(EXPORT).status_code == 200

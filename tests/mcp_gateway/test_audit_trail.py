"""Every tool call leaves an audit record (who, which client, tool, outcome, duration, Graph's
request ids) without arguments or results; the admin lists it read-only, with filters."""

from __future__ import annotations

import pytest

from mcp_gateway.models import ToolCall
from tests.mcp_gateway.conftest import modern_call, modern_headers

pytestmark = pytest.mark.django_db(transaction=True)


async def test_it_records_each_outcome_without_arguments(
    gateway, alice, issue_token, assistant
) -> None:
    token = await issue_token(alice, scope="mail.read mail.send")
    for text in ("a secret note", "fail"):
        await gateway.post(
            "/mcp",
            json=modern_call("note_send", {"text": text}),
            headers=modern_headers(token, "note_send"),
        )
    await gateway.post(
        "/mcp",
        json=modern_call("note_send", {"text": "x" * 101}),
        headers=modern_headers(token, "note_send"),
    )
    calls = [call async for call in ToolCall.objects.order_by("id")]
    assert [call.outcome for call in calls] == ["ok", "tool_error", "invalid_arguments"]
    assert [call.upstream_request_id for call in calls] == ["graph-request-1"] * 2 + [""]
    assert {(call.client_id, call.client_name, call.tool) for call in calls} == {
        (assistant.pk, "Test Assistant", "note_send")
    }
    stored = " ".join(str(vars(call)) for call in calls)
    assert "secret" not in stored
    assert "mailbox is full" not in stored


@pytest.fixture
def recorded(alice, bob, assistant) -> None:
    ToolCall.objects.create(
        person=alice,
        client=assistant,
        client_name="Test Assistant",
        tool="whoami",
        outcome="ok",
        duration_ms=3,
    )
    ToolCall.objects.create(
        person=bob,
        client=assistant,
        client_name="Test Assistant",
        tool="note_send",
        outcome="denied",
    )


def test_it_lists_calls_with_filters(admin_browser, recorded) -> None:
    page = admin_browser.get("/admin/mcp_gateway/toolcall/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "whoami" in text
    assert "note_send" in text
    assert "Denied (scope not granted)" in text
    denied = admin_browser.get("/admin/mcp_gateway/toolcall/?outcome__exact=denied")
    assert [call.tool for call in denied.context["cl"].result_list] == ["note_send"]


def test_it_is_read_only(admin_browser, recorded) -> None:
    call = ToolCall.objects.first()
    assert call is not None
    assert admin_browser.get("/admin/mcp_gateway/toolcall/add/").status_code == 403
    assert admin_browser.post(f"/admin/mcp_gateway/toolcall/{call.pk}/delete/").status_code == 403
    change = admin_browser.post(f"/admin/mcp_gateway/toolcall/{call.pk}/change/", {"tool": "x"})
    assert change.status_code == 403
    call.refresh_from_db()
    assert call.tool != "x"

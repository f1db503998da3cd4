"""forwardEmail: one POST with the comment and the recipients Graph's forward expects."""

from __future__ import annotations

import pytest

from tests.graph_tools.conftest import sent, text
from tests.graph_tools.scenarios.mail import MESSAGE_ID, MESSAGE_URL

pytestmark = pytest.mark.django_db(transaction=True)


async def test_it_forwards_to_several_people(call_tool, graph) -> None:
    graph.post(f"{MESSAGE_URL}/forward", status=202)
    result = await call_tool(
        "forwardEmail",
        {"messageId": MESSAGE_ID, "to": ["anna@contoso.com", "chris@contoso.com"],
         "comment": "FYI"},
        consent="confirmed",
    )  # fmt: skip
    request = sent(graph)
    assert (request.method, request.url, request.query) == ("POST", f"{MESSAGE_URL}/forward", {})
    assert request.body == {
        "comment": "FYI",
        "toRecipients": [
            {"emailAddress": {"address": "anna@contoso.com"}},
            {"emailAddress": {"address": "chris@contoso.com"}},
        ],
    }
    assert result.structured_content == {"to": ["anna@contoso.com", "chris@contoso.com"]}
    assert text(result) == "Forwarded to anna@contoso.com, chris@contoso.com."


async def test_it_forwards_without_a_comment(call_tool, graph) -> None:
    graph.post(f"{MESSAGE_URL}/forward", status=202)
    await call_tool(
        "forwardEmail", {"messageId": MESSAGE_ID, "to": "a@contoso.com"}, consent="confirmed"
    )
    assert sent(graph).body["comment"] == ""


async def test_it_needs_a_recipient(call_tool, graph) -> None:
    result = await call_tool(
        "forwardEmail", {"messageId": MESSAGE_ID, "to": []}, consent="confirmed"
    )
    assert result.is_error
    assert "Invalid arguments for forwardEmail: to" in text(result)
    assert len(graph.calls) == 0

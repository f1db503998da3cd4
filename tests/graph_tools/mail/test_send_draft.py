"""sendDraft: the draft is read for its recipients, checked, then sent; never a non-draft."""

from __future__ import annotations

import pytest

from tests.graph_tools.conftest import sent, text
from tests.graph_tools.scenarios.mail import DRAFT, MESSAGE_ID, MESSAGE_URL

pytestmark = pytest.mark.django_db(transaction=True)
FIELDS = "subject,isDraft,toRecipients,ccRecipients,bccRecipients"


async def test_it_sends_a_draft(call_tool, graph) -> None:
    graph.get(MESSAGE_URL, json=DRAFT)
    graph.post(f"{MESSAGE_URL}/send", status=202)
    result = await call_tool("sendDraft", {"messageId": MESSAGE_ID}, consent="confirmed")
    read, send = sent(graph, 0), sent(graph, 1)
    assert (read.method, read.url, read.query) == ("GET", MESSAGE_URL, {"$select": FIELDS})
    assert (send.method, send.url, send.body) == ("POST", f"{MESSAGE_URL}/send", None)
    assert result.structured_content == {
        "subject": "Project update",
        "recipients": ["bob@contoso.com", "anna@contoso.com"],
    }
    assert text(result) == 'Sent the draft "Project update" to bob@contoso.com, anna@contoso.com.'


async def test_it_refuses_a_message_that_is_not_a_draft(call_tool, graph) -> None:
    graph.get(MESSAGE_URL, json={**DRAFT, "isDraft": False})
    result = await call_tool("sendDraft", {"messageId": MESSAGE_ID}, consent="confirmed")
    assert result.is_error
    assert text(result) == (
        "That message is not a draft, so nothing was sent. To send it on, use forwardEmail "
        "or replyToEmail."
    )
    assert [c.request.method for c in graph.calls] == ["GET"]

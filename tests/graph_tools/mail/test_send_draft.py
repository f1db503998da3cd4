"""sendDraft: the draft is read for its recipients, checked, then sent; never a non-draft."""

from __future__ import annotations

import pytest

from tests.graph_tools.conftest import sent, text
from tests.graph_tools.scenarios.mail import BOB, DRAFT, MESSAGE_ID, MESSAGE_URL

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


@pytest.mark.parametrize(
    "nameless",
    [
        {"emailAddress": {"name": "mallory@fabrikam.com"}},
        {"emailAddress": {"name": "Legacy", "address": "/o=ExchangeLabs/ou=Exchange/cn=x"}},
        {"emailAddress": None},
        "mallory@fabrikam.com",
    ],
    ids=["only a name", "an X500 address", "no emailAddress", "not an object"],
)
async def test_it_refuses_a_draft_with_a_recipient_without_an_address(
    call_tool, graph, nameless
) -> None:
    # Refused with or without M365_SEND_ALLOWED_DOMAINS: Exchange would pick the address.
    graph.get(MESSAGE_URL, json={**DRAFT, "bccRecipients": [nameless]})
    result = await call_tool("sendDraft", {"messageId": MESSAGE_ID}, consent="confirmed")
    assert result.is_error
    assert text(result) == (
        "Nothing was sent: the draft has a recipient without an address; fix it in Outlook "
        "or createDraft again."
    )
    assert [c.request.method for c in graph.calls] == ["GET"]


async def test_it_sends_a_draft_whose_recipient_lists_are_missing(call_tool, graph) -> None:
    graph.get(MESSAGE_URL, json={"subject": "Note", "isDraft": True, "toRecipients": [BOB]})
    graph.post(f"{MESSAGE_URL}/send", status=202)
    result = await call_tool("sendDraft", {"messageId": MESSAGE_ID}, consent="confirmed")
    assert result.structured_content == {"subject": "Note", "recipients": ["bob@contoso.com"]}

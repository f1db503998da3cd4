"""replyToEmail: the message is read for its recipients first, then reply or replyAll."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.graph_tools.conftest import sent, text
from tests.graph_tools.scenarios.mail import MESSAGE_ID, MESSAGE_URL, REPLY_SOURCE, address

pytestmark = pytest.mark.django_db(transaction=True)
FIELDS = "from,replyTo,toRecipients,ccRecipients"


async def test_it_replies_to_the_sender(call_tool, graph) -> None:
    graph.get(MESSAGE_URL, json=REPLY_SOURCE)
    graph.post(f"{MESSAGE_URL}/reply", status=202)
    result = await call_tool(
        "replyToEmail", {"messageId": MESSAGE_ID, "comment": "Monday works."}, consent="confirmed"
    )
    read, reply = sent(graph, 0), sent(graph, 1)
    assert (read.method, read.url, read.query) == ("GET", MESSAGE_URL, {"$select": FIELDS})
    assert (reply.method, reply.url) == ("POST", f"{MESSAGE_URL}/reply")
    assert reply.body == {"comment": "Monday works."}
    assert result.structured_content == {"to": ["bob@contoso.com"]}
    assert text(result) == "Replied to bob@contoso.com."


async def test_it_replies_to_all_without_repeating_anyone(call_tool, graph) -> None:
    source = {**REPLY_SOURCE, "ccRecipients": [*REPLY_SOURCE["ccRecipients"],
                                               address("Bob", "BOB@contoso.com")]}  # fmt: skip
    graph.get(MESSAGE_URL, json=source)
    graph.post(f"{MESSAGE_URL}/replyAll", status=202)
    result = await call_tool(
        "replyToEmail",
        {"messageId": MESSAGE_ID, "comment": "Thanks all.", "replyAll": True},
        consent="confirmed",
    )
    assert sent(graph).url == f"{MESSAGE_URL}/replyAll"
    assert sent(graph).body == {"comment": "Thanks all."}
    assert result.structured_content == {
        "to": ["bob@contoso.com", "alice@contoso.com", "anna@contoso.com", "chris@fabrikam.com"]
    }


async def test_it_replies_to_reply_to_when_it_is_set(call_tool, graph) -> None:
    graph.get(MESSAGE_URL, json={**REPLY_SOURCE, "replyTo": [address("Events", "ev@contoso.com")]})
    graph.post(f"{MESSAGE_URL}/reply", status=202)
    result = await call_tool(
        "replyToEmail", {"messageId": MESSAGE_ID, "comment": "Count me in."}, consent="confirmed"
    )
    assert result.structured_content == {"to": ["ev@contoso.com"]}


async def test_it_needs_a_comment(call_tool, graph) -> None:
    result = await call_tool(
        "replyToEmail", {"messageId": MESSAGE_ID, "comment": ""}, consent="confirmed"
    )
    assert result.is_error
    assert "Invalid arguments for replyToEmail: comment" in text(result)
    assert len(graph.calls) == 0


NAMELESS = {"emailAddress": {"name": "mallory@fabrikam.com"}}


async def test_it_refuses_a_reply_to_someone_without_an_address_under_a_policy(
    call_tool, graph, settings
) -> None:
    m365 = replace(settings.DEPLOYMENT.m365, send_allowed_domains=("contoso.com",))
    settings.DEPLOYMENT = replace(settings.DEPLOYMENT, m365=m365)
    graph.get(MESSAGE_URL, json={**REPLY_SOURCE, "ccRecipients": [NAMELESS]})
    result = await call_tool(
        "replyToEmail",
        {"messageId": MESSAGE_ID, "comment": "Thanks.", "replyAll": True},
        consent="confirmed",
    )
    assert result.is_error
    assert text(result) == (
        "Nothing was sent: one of the people it would go to has no e-mail address (only a "
        "name), so this server cannot check it against the domains it may send to. Tell the "
        "person to do this in Outlook."
    )
    assert [c.request.method for c in graph.calls] == ["GET"]


async def test_it_replies_to_someone_without_an_address_when_there_is_no_policy(
    call_tool, graph
) -> None:
    # Outlook's own reply-all would go to the same people: only a policy needs the address.
    graph.get(MESSAGE_URL, json={**REPLY_SOURCE, "ccRecipients": [NAMELESS]})
    graph.post(f"{MESSAGE_URL}/replyAll", status=202)
    result = await call_tool(
        "replyToEmail",
        {"messageId": MESSAGE_ID, "comment": "Thanks.", "replyAll": True},
        consent="confirmed",
    )
    assert not result.is_error, text(result)
    assert result.structured_content == {
        "to": ["bob@contoso.com", "alice@contoso.com", "anna@contoso.com"]
    }


async def test_it_replies_to_a_nameless_reply_to_not_to_the_sender(
    call_tool, graph, settings
) -> None:
    # replyTo decides where the reply goes even when its entry has no address (wire shapes
    # §2A): falling back to the sender would check the wrong person.
    m365 = replace(settings.DEPLOYMENT.m365, send_allowed_domains=("contoso.com",))
    settings.DEPLOYMENT = replace(settings.DEPLOYMENT, m365=m365)
    graph.get(MESSAGE_URL, json={**REPLY_SOURCE, "replyTo": [NAMELESS]})
    result = await call_tool(
        "replyToEmail", {"messageId": MESSAGE_ID, "comment": "Thanks."}, consent="confirmed"
    )
    assert result.is_error
    assert "has no e-mail address" in text(result)

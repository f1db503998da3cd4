"""Sending tools: recipients outside M365_SEND_ALLOWED_DOMAINS are refused before anything is
sent, and nothing destructive runs without the person's confirmation."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.graph_tools.conftest import text
from tests.graph_tools.scenarios import GRAPH
from tests.graph_tools.scenarios.mail import (
    DRAFT,
    MESSAGE_ID,
    MESSAGE_URL,
    REPLY_SOURCE,
    SCENARIOS,
    address,
)

pytestmark = pytest.mark.django_db(transaction=True)
BY_TOOL = {scenario.tool: scenario for scenario in SCENARIOS}
QUESTIONS = {
    "sendEmail": "Send the e-mail \u201cLunch?\u201d to bob@contoso.com?",
    "replyToEmail": "Send your reply to \u201cOffsite agenda\u201d to events@contoso.com?",
    "forwardEmail": "Forward the message to anna@contoso.com?",
    "sendDraft": "Send the draft \u201cBudget\u201d to bob@contoso.com (bcc: x@contoso.com)?",
    "deleteEmail": (
        "Delete the message \u201cOld news\u201d from anna@contoso.com (move it to Deleted Items)?"
    ),
}
QUESTIONED_MESSAGES = {
    "replyToEmail": {"subject": "Offsite agenda", "from": address("Events", "events@contoso.com")},
    "sendDraft": {
        "subject": "Budget",
        "toRecipients": [address("Bob Baker", "bob@contoso.com")],
        "bccRecipients": [address("X", "x@contoso.com")],
    },
    "deleteEmail": {"subject": "Old news", "from": address("Anna", "anna@contoso.com")},
}
READS = {tool: ["GET"] for tool in QUESTIONED_MESSAGES}
DESTRUCTIVE = pytest.mark.parametrize("tool", sorted(QUESTIONS))


@pytest.fixture
def contoso_only(settings) -> None:
    settings.DEPLOYMENT = replace(
        settings.DEPLOYMENT,
        m365=replace(settings.DEPLOYMENT.m365, send_allowed_domains=("contoso.com",)),
    )


@DESTRUCTIVE
async def test_it_asks_before_anything_destructive(call_tool, graph, tool) -> None:
    # Questions about an existing message read it first (subject, sender, recipients).
    graph.get(MESSAGE_URL, json=QUESTIONED_MESSAGES.get(tool, {}))
    result = await call_tool(tool, BY_TOOL[tool].arguments, consent="not_asked")
    assert result.is_error
    assert text(result) == (
        f"This needs the person's confirmation: {QUESTIONS[tool]} Ask them in plain words; "
        "only if they agree, call the tool again with the same arguments and confirm: true."
    )
    assert [call.request.method for call in graph.calls] == READS.get(tool, [])


@DESTRUCTIVE
async def test_it_does_nothing_when_the_person_declines(call_tool, graph, tool) -> None:
    result = await call_tool(tool, BY_TOOL[tool].arguments, consent="declined")
    assert result.is_error
    assert "did not confirm" in text(result)
    assert len(graph.calls) == 0


@DESTRUCTIVE
async def test_it_runs_once_confirmed(call_tool, graph, tool) -> None:
    BY_TOOL[tool].happy(graph)
    result = await call_tool(
        tool, {**BY_TOOL[tool].arguments, "confirm": True}, consent="not_asked"
    )
    assert not result.is_error, text(result)


async def test_the_question_names_subject_recipients_and_attachments(call_tool, graph) -> None:
    arguments = {
        "to": ["bob@contoso.com", "anna@contoso.com"],
        "cc": "chris@contoso.com",
        "bcc": "dana@contoso.com",
        "subject": "Lunch?",
        "body": "The secret body stays out of the question.",
        "attachments": [{"name": "a.txt", "contentBytes": "YQ=="}],
    }
    result = await call_tool("sendEmail", arguments, consent="not_asked")
    assert "e-mail \u201cLunch?\u201d to bob@contoso.com, anna@contoso.com (cc: " in text(result)
    assert "(cc: chris@contoso.com; bcc: dana@contoso.com), with 1 attachment?" in text(result)
    assert "secret" not in text(result)


async def test_it_refuses_outside_recipients_before_sending(call_tool, graph, contoso_only) -> None:
    result = await call_tool(
        "sendEmail",
        {"to": "bob@contoso.com", "bcc": "x@gmail.com", "subject": "s", "body": "b"},
        consent="confirmed",
    )
    assert result.is_error
    assert text(result).startswith(
        "Nothing was sent: this server only sends to contoso.com, and x@gmail.com is outside it."
    )
    assert len(graph.calls) == 0


async def test_it_allows_subdomains_of_allowed_domains(call_tool, graph, contoso_only) -> None:
    graph.post(f"{GRAPH}/me/sendMail", status=202)
    result = await call_tool(
        "sendEmail",
        {"to": "bob@eu.contoso.com", "subject": "s", "body": "b"},
        consent="confirmed",
    )
    assert not result.is_error


async def test_it_refuses_to_forward_outside(call_tool, graph, contoso_only) -> None:
    result = await call_tool(
        "forwardEmail", {"messageId": MESSAGE_ID, "to": "x@fabrikam.com"}, consent="confirmed"
    )
    assert result.is_error
    assert "x@fabrikam.com is outside it" in text(result)
    assert len(graph.calls) == 0


async def test_it_refuses_a_reply_all_that_reaches_outside(call_tool, graph, contoso_only) -> None:
    graph.get(MESSAGE_URL, json=REPLY_SOURCE)  # chris@fabrikam.com is on cc
    result = await call_tool(
        "replyToEmail",
        {"messageId": MESSAGE_ID, "comment": "Thanks.", "replyAll": True},
        consent="confirmed",
    )
    assert result.is_error
    assert "chris@fabrikam.com is outside it" in text(result)
    assert [c.request.method for c in graph.calls] == ["GET"]  # read, never sent


async def test_it_allows_a_plain_reply_to_an_inside_sender(call_tool, graph, contoso_only) -> None:
    graph.get(MESSAGE_URL, json=REPLY_SOURCE)
    graph.post(f"{MESSAGE_URL}/reply", status=202)
    result = await call_tool(
        "replyToEmail", {"messageId": MESSAGE_ID, "comment": "Thanks."}, consent="confirmed"
    )
    assert not result.is_error


async def test_it_refuses_a_draft_addressed_outside(call_tool, graph, contoso_only) -> None:
    graph.get(MESSAGE_URL, json={**DRAFT, "bccRecipients": [address("X", "x@gmail.com")]})
    result = await call_tool("sendDraft", {"messageId": MESSAGE_ID}, consent="confirmed")
    assert result.is_error
    assert "x@gmail.com is outside it" in text(result)
    assert [c.request.method for c in graph.calls] == ["GET"]

"""createDraft: POST /me/messages saves a draft; nothing is sent, so no confirmation."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.graph_tools.conftest import sent, text
from tests.graph_tools.scenarios import GRAPH
from tests.graph_tools.scenarios.mail import CREATED_DRAFT, MESSAGE_ID

pytestmark = pytest.mark.django_db(transaction=True)


async def test_it_saves_a_draft(call_tool, graph) -> None:
    graph.post(f"{GRAPH}/me/messages", status=201, json=CREATED_DRAFT)
    result = await call_tool(
        "createDraft",
        {"to": "bob@contoso.com", "cc": ["anna@contoso.com"], "subject": "Project update",
         "body": "<p>On track.</p>", "contentType": "html"},
    )  # fmt: skip
    request = sent(graph)
    assert (request.method, request.url, request.query) == ("POST", f"{GRAPH}/me/messages", {})
    assert request.body == {
        "subject": "Project update",
        "body": {"contentType": "HTML", "content": "<p>On track.</p>"},
        "toRecipients": [{"emailAddress": {"address": "bob@contoso.com"}}],
        "ccRecipients": [{"emailAddress": {"address": "anna@contoso.com"}}],
        "bccRecipients": [],
    }
    assert result.structured_content == {
        "id": MESSAGE_ID,
        "subject": "Project update",
        "webLink": "https://outlook.office365.com/owa/?ItemID=draft",
    }
    assert text(result) == f"Draft saved: {MESSAGE_ID}. Send it with sendDraft."


async def test_it_saves_an_empty_draft(call_tool, graph) -> None:
    graph.post(f"{GRAPH}/me/messages", status=201, json=CREATED_DRAFT)
    result = await call_tool("createDraft", {})
    assert not result.is_error
    assert sent(graph).body == {
        "subject": "",
        "body": {"contentType": "Text", "content": ""},
        "toRecipients": [],
        "ccRecipients": [],
        "bccRecipients": [],
    }


async def test_it_does_not_check_recipients_it_does_not_send_to(call_tool, graph, settings) -> None:
    settings.DEPLOYMENT = replace(
        settings.DEPLOYMENT,
        m365=replace(settings.DEPLOYMENT.m365, send_allowed_domains=("contoso.com",)),
    )
    graph.post(f"{GRAPH}/me/messages", status=201, json=CREATED_DRAFT)
    result = await call_tool("createDraft", {"to": "someone@fabrikam.com"})
    assert not result.is_error

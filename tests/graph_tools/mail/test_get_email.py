"""getEmail: one request with $select and $expand, the body as safe text, trimmed with a
marker and read further with bodyOffset."""

from __future__ import annotations

import pytest

from tests.graph_tools.conftest import sent, text
from tests.graph_tools.scenarios import ZONE
from tests.graph_tools.scenarios.mail import ATTACHMENT_ID, MESSAGE, MESSAGE_ID, MESSAGE_URL

pytestmark = pytest.mark.django_db(transaction=True)
FIELDS = (
    "id,subject,from,toRecipients,ccRecipients,bccRecipients,replyTo,sentDateTime,"
    "receivedDateTime,internetMessageId,webLink,body"
)
BODY = "Hi Alice,\n\nthe Q3 numbers are attached."
LONG = {**MESSAGE, "body": {"contentType": "text", "content": "0123456789" * 50}}


async def test_it_reads_one_message_with_headers_and_attachments(
    call_tool, graph, mailbox_zone
) -> None:
    graph.get(MESSAGE_URL, json=MESSAGE)
    result = await call_tool("getEmail", {"messageId": MESSAGE_ID})
    request = sent(graph)
    assert (request.method, request.url) == ("GET", MESSAGE_URL)
    assert request.query == {
        "$select": FIELDS,
        "$expand": "attachments($select=id,name,contentType,size,isInline)",
    }
    assert "Prefer" not in request.headers  # HTML is converted here, not by Graph
    assert result.structured_content == {
        "id": MESSAGE_ID,
        "subject": "Q3 budget review",
        "from": "Bob Baker <bob@contoso.com>",
        "to": ["Alice Archer <alice@contoso.com>"],
        "cc": ["Anna Lindqvist <anna@contoso.com>"],
        "bcc": [],
        "replyTo": [],
        "sentDateTime": "2026-11-20T16:29:58+01:00",
        "receivedDateTime": "2026-11-20T16:30:00+01:00",
        "internetMessageId": "<MWHPR6E1BE060@contoso.example>",
        "webLink": "https://outlook.office365.com/owa/?ItemID=AAMk&exvsurl=1",
        "attachments": [
            {
                "id": ATTACHMENT_ID,
                "name": "Q3-budget.csv",
                "contentType": "text/csv",
                "size": 38,
                "isInline": False,
                "kind": "file",
            }
        ],
        "body": BODY,
        "bodyLength": len(BODY),
        "bodyTruncated": False,
        "nextBodyOffset": None,
        "timeZone": ZONE,
    }
    assert text(result) == (
        "From: Bob Baker <bob@contoso.com>\n"
        "To: Alice Archer <alice@contoso.com>\n"
        "Cc: Anna Lindqvist <anna@contoso.com>\n"
        "Subject: Q3 budget review\n"
        f"Received: 2026-11-20T16:30:00+01:00 ({ZONE})\n"
        f"Attachments: Q3-budget.csv ({ATTACHMENT_ID})\n\n"
        f"{BODY}"
    )


async def test_it_trims_the_body_with_a_marker_and_an_offset(
    call_tool, graph, mailbox_zone
) -> None:
    graph.get(MESSAGE_URL, json=LONG)
    result = await call_tool("getEmail", {"messageId": MESSAGE_ID, "maxChars": 200})
    out = result.structured_content
    assert out["body"] == "0123456789" * 20 + "\n[… trimmed: 300 more characters]"
    assert (out["bodyLength"], out["bodyTruncated"], out["nextBodyOffset"]) == (500, True, 200)
    assert text(result).endswith(
        "[… trimmed: 300 more characters]\n(more: call getEmail with bodyOffset=200)"
    )


async def test_it_reads_the_rest_from_the_offset(call_tool, graph, mailbox_zone) -> None:
    graph.get(MESSAGE_URL, json=LONG)
    result = await call_tool(
        "getEmail", {"messageId": MESSAGE_ID, "bodyOffset": 400, "maxChars": 200}
    )
    out = result.structured_content
    assert out["body"] == "0123456789" * 10
    assert (out["bodyLength"], out["bodyTruncated"], out["nextBodyOffset"]) == (500, False, None)


async def test_it_answers_an_offset_past_the_end_with_an_empty_body(
    call_tool, graph, mailbox_zone
) -> None:
    graph.get(MESSAGE_URL, json=LONG)
    result = await call_tool("getEmail", {"messageId": MESSAGE_ID, "bodyOffset": 9000})
    assert result.structured_content["body"] == ""
    assert result.structured_content["bodyTruncated"] is False


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({}, "messageId"),
        ({"messageId": "bad id"}, "messageId"),
        ({"messageId": "x" * 513}, "messageId"),
        ({"messageId": MESSAGE_ID, "maxChars": 20001}, "maxChars"),
        ({"messageId": MESSAGE_ID, "bodyOffset": -1}, "bodyOffset"),
    ],
)
async def test_it_rejects_bad_arguments(call_tool, graph, arguments, field) -> None:
    result = await call_tool("getEmail", arguments)
    assert result.is_error
    assert f"Invalid arguments for getEmail: {field}" in text(result)
    assert len(graph.calls) == 0


async def test_it_reports_a_reply_that_is_not_an_object(call_tool, graph) -> None:
    graph.get(MESSAGE_URL, json=["not", "a", "message"])
    result = await call_tool("getEmail", {"messageId": MESSAGE_ID})
    assert result.is_error
    assert "could not read" in text(result)

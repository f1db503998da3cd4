"""sendEmail: the exact sendMail request, recipients in every form, attachments inline and
through an upload session, strict base64, Graph's 150 MB limit."""

from __future__ import annotations

import base64
import json

import pytest
import responses

from graph_tools.mail import schemas, uploads
from tests.graph_tools.conftest import all_sent, sent, text
from tests.graph_tools.scenarios import GRAPH

pytestmark = pytest.mark.django_db(transaction=True)
SEND_URL = f"{GRAPH}/me/sendMail"
DRAFTS_URL = f"{GRAPH}/me/messages"
DRAFT_ID = "AAMkAGI2draft/1+="
DRAFT_URL = f"{GRAPH}/me/messages/AAMkAGI2draft%2F1%2B%3D"
UPLOAD_URL = "https://outlook.office.com/api/v2.0/Users('x')/Messages('y')/AttachmentSessions('z')?authtoken=abc"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


async def test_it_sends_with_cc_bcc_html_and_an_inline_attachment(call_tool, graph) -> None:
    graph.post(SEND_URL, status=202)
    result = await call_tool(
        "sendEmail",
        {
            "to": ["bob@contoso.com", "anna@contoso.com"],
            "cc": "chris@contoso.com",
            "bcc": "audit@contoso.com",
            "subject": "Q3 numbers",
            "body": "<p>Attached.</p>",
            "contentType": "html",
            "attachments": [{"name": "q3.csv", "contentBytes": b64(b"a,b\n1,2\n")}],
        },
        consent="confirmed",
    )
    request = sent(graph)
    assert (request.method, request.url, request.query) == ("POST", SEND_URL, {})
    assert request.body == {
        "message": {
            "subject": "Q3 numbers",
            "body": {"contentType": "HTML", "content": "<p>Attached.</p>"},
            "toRecipients": [
                {"emailAddress": {"address": "bob@contoso.com"}},
                {"emailAddress": {"address": "anna@contoso.com"}},
            ],
            "ccRecipients": [{"emailAddress": {"address": "chris@contoso.com"}}],
            "bccRecipients": [{"emailAddress": {"address": "audit@contoso.com"}}],
            "attachments": [
                {
                    "@odata.type": "#microsoft.graph.fileAttachment",
                    "name": "q3.csv",
                    "contentType": "text/csv",
                    "contentBytes": b64(b"a,b\n1,2\n"),
                }
            ],
        },
        "saveToSentItems": True,
    }
    assert result.structured_content == {
        "recipients": [
            "bob@contoso.com",
            "anna@contoso.com",
            "chris@contoso.com",
            "audit@contoso.com",
        ],
        "attachmentCount": 1,
        "savedToSentItems": True,
    }
    assert text(result) == (
        "Sent to bob@contoso.com, anna@contoso.com, chris@contoso.com, audit@contoso.com, "
        "with 1 attachment(s)."
    )


async def test_it_keeps_the_original_arguments_working(call_tool, graph) -> None:
    graph.post(SEND_URL, status=202)
    result = await call_tool(
        "sendEmail",
        {
            "to": "bob@contoso.com; anna@contoso.com",
            "subject": "Hi",
            "body": "Plain text.",
            "saveToSentItems": False,
        },
        consent="confirmed",
    )
    assert sent(graph).body == {
        "message": {
            "subject": "Hi",
            "body": {"contentType": "Text", "content": "Plain text."},
            "toRecipients": [
                {"emailAddress": {"address": "bob@contoso.com"}},
                {"emailAddress": {"address": "anna@contoso.com"}},
            ],
            "ccRecipients": [],
            "bccRecipients": [],
            "attachments": [],
        },
        "saveToSentItems": False,
    }
    assert text(result) == (
        "Sent to bob@contoso.com, anna@contoso.com. No copy was kept in Sent Items."
    )


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"subject": "x", "body": "y"}, "to"),
        ({"to": [], "subject": "x", "body": "y"}, "to"),
        ({"to": "not-an-address", "subject": "x", "body": "y"}, "to.0"),
        ({"to": "a@b.com", "subject": "x", "body": "y", "contentType": "md"}, "contentType"),
        ({"to": "a@b.com", "subject": "x" * 256, "body": "y"}, "subject"),
        ({"to": "a@b.com", "subject": "x", "body": "y", "priority": "high"}, "priority"),
    ],
)
async def test_it_rejects_bad_arguments_before_graph(call_tool, graph, arguments, field) -> None:
    result = await call_tool("sendEmail", arguments, consent="confirmed")
    assert result.is_error
    assert f"Invalid arguments for sendEmail: {field}" in text(result)
    assert len(graph.calls) == 0


async def test_it_names_the_attachment_that_is_not_base64(call_tool, graph) -> None:
    attachment = {"name": "notes.txt", "contentBytes": "bm90ZXM=!!"}
    result = await call_tool(
        "sendEmail",
        {"to": "a@contoso.com", "subject": "x", "body": "y", "attachments": [attachment]},
        consent="confirmed",
    )
    assert result.is_error
    assert "attachment 'notes.txt' is not valid base64" in text(result)
    assert len(graph.calls) == 0


async def test_it_accepts_wrapped_base64(call_tool, graph) -> None:
    graph.post(SEND_URL, status=202)
    wrapped = "aGVsbG8g\r\nd29ybGQ="
    result = await call_tool(
        "sendEmail",
        {"to": "a@contoso.com", "subject": "x", "body": "y",
         "attachments": [{"name": "a.bin", "contentType": "application/x-thing",
                          "contentBytes": wrapped}]},
        consent="confirmed",
    )  # fmt: skip
    assert not result.is_error
    attachment = sent(graph).body["message"]["attachments"][0]
    assert attachment["contentBytes"] == b64(b"hello world")
    assert attachment["contentType"] == "application/x-thing"


async def test_it_refuses_an_attachment_above_graphs_limit(call_tool, graph, monkeypatch) -> None:
    monkeypatch.setattr(schemas, "MAX_ATTACHMENT_BYTES", 10)
    attachment = {"name": "big.iso", "contentBytes": b64(b"x" * 11)}
    result = await call_tool(
        "sendEmail",
        {"to": "a@contoso.com", "subject": "x", "body": "y", "attachments": [attachment]},
        consent="confirmed",
    )
    assert result.is_error
    assert "attachment 'big.iso' is 11 bytes; Microsoft 365 takes at most 10" in text(result)
    assert len(graph.calls) == 0


def upload_replies(mock: responses.RequestsMock) -> None:
    mock.post(DRAFTS_URL, status=201, json={"id": DRAFT_ID, "isDraft": True})
    mock.post(f"{DRAFT_URL}/attachments", status=201, json={"id": "small"})
    mock.post(
        f"{DRAFT_URL}/attachments/createUploadSession",
        status=201,
        json={"uploadUrl": UPLOAD_URL, "nextExpectedRanges": ["0-"]},
    )
    mock.put(UPLOAD_URL.split("?")[0], status=200, json={"nextExpectedRanges": ["3276800"]})
    mock.put(UPLOAD_URL.split("?")[0], status=201)
    mock.post(f"{DRAFT_URL}/send", status=202)


async def test_it_uploads_a_large_attachment_through_an_upload_session(call_tool, graph) -> None:
    big = bytes(range(256)) * (5 * 1024 * 1024 // 256)  # 5 MiB
    upload_replies(graph)
    result = await call_tool(
        "sendEmail",
        {
            "to": "bob@contoso.com",
            "cc": "anna@contoso.com",
            "subject": "Video",
            "body": "See attached.",
            "attachments": [
                {"name": "notes.txt", "contentBytes": b64(b"small")},
                {"name": "demo.mp4", "contentBytes": b64(big)},
            ],
        },
        consent="confirmed",
    )
    assert not result.is_error, text(result)
    calls = all_sent(graph)
    assert [(c.method, c.url) for c in calls] == [
        ("POST", DRAFTS_URL),
        ("POST", f"{DRAFT_URL}/attachments"),
        ("POST", f"{DRAFT_URL}/attachments/createUploadSession"),
        ("PUT", UPLOAD_URL.split("?")[0]),
        ("PUT", UPLOAD_URL.split("?")[0]),
        ("POST", f"{DRAFT_URL}/send"),
    ]
    assert calls[0].body == {
        "subject": "Video",
        "body": {"contentType": "Text", "content": "See attached."},
        "toRecipients": [{"emailAddress": {"address": "bob@contoso.com"}}],
        "ccRecipients": [{"emailAddress": {"address": "anna@contoso.com"}}],
        "bccRecipients": [],
    }
    assert calls[1].body == {
        "@odata.type": "#microsoft.graph.fileAttachment",
        "name": "notes.txt",
        "contentType": "text/plain",
        "contentBytes": b64(b"small"),
    }
    assert calls[2].body == {
        "AttachmentItem": {
            "attachmentType": "file",
            "name": "demo.mp4",
            "size": len(big),
            "contentType": "video/mp4",
        }
    }
    first, second = graph.calls[3].request, graph.calls[4].request
    assert first.url == UPLOAD_URL
    assert "Authorization" not in first.headers  # the URL carries its own credential
    assert "Authorization" not in second.headers
    assert first.headers["Content-Range"] == f"bytes 0-3276799/{len(big)}"
    assert second.headers["Content-Range"] == f"bytes 3276800-{len(big) - 1}/{len(big)}"
    assert first.body + second.body == big
    assert graph.calls[1].request.headers["Authorization"] == "Bearer alice-access-1"
    assert result.structured_content == {
        "recipients": ["bob@contoso.com", "anna@contoso.com"],
        "attachmentCount": 2,
        "savedToSentItems": True,
    }


async def test_it_uses_a_draft_when_attachments_together_are_too_big_for_one_request(
    call_tool, graph, monkeypatch
) -> None:
    monkeypatch.setattr(uploads, "INLINE_REQUEST_BYTES", 100)
    graph.post(DRAFTS_URL, status=201, json={"id": DRAFT_ID})
    graph.post(f"{DRAFT_URL}/attachments", status=201, json={"id": "a"})
    graph.post(f"{DRAFT_URL}/attachments", status=201, json={"id": "b"})
    graph.post(f"{DRAFT_URL}/send", status=202)
    files = [{"name": f"{n}.txt", "contentBytes": b64(b"y" * 60)} for n in "ab"]
    result = await call_tool(
        "sendEmail",
        {"to": "bob@contoso.com", "subject": "x", "body": "y", "attachments": files,
         "saveToSentItems": False},
        consent="confirmed",
    )  # fmt: skip
    assert not result.is_error, text(result)
    # A sent draft always lands in Sent Items: the result says so instead of pretending.
    assert result.structured_content["savedToSentItems"] is True
    assert [c.request.method + " " + c.request.url for c in graph.calls] == [
        f"POST {DRAFTS_URL}",
        f"POST {DRAFT_URL}/attachments",
        f"POST {DRAFT_URL}/attachments",
        f"POST {DRAFT_URL}/send",
    ]


async def test_it_removes_the_draft_when_an_upload_fails(call_tool, graph) -> None:
    graph.post(DRAFTS_URL, status=201, json={"id": DRAFT_ID})
    graph.post(
        f"{DRAFT_URL}/attachments/createUploadSession",
        status=201,
        json={"uploadUrl": UPLOAD_URL},
    )
    graph.put(UPLOAD_URL.split("?")[0], status=413, json={"error": {"code": "RequestTooLarge"}})
    graph.delete(DRAFT_URL, status=204)
    big = b"z" * (4 * 1024 * 1024)
    result = await call_tool(
        "sendEmail",
        {"to": "bob@contoso.com", "subject": "x", "body": "y",
         "attachments": [{"name": "big.bin", "contentBytes": b64(big)}]},
        consent="confirmed",
    )  # fmt: skip
    assert result.is_error
    assert "refused the request as too large" in text(result)
    assert [c.request.method for c in graph.calls] == ["POST", "POST", "PUT", "DELETE"]


async def test_it_names_mail_write_when_drafts_are_not_allowed(call_tool, graph) -> None:
    graph.post(DRAFTS_URL, status=403, json={"error": {"code": "ErrorAccessDenied"}})
    big = b"z" * (4 * 1024 * 1024)
    result = await call_tool(
        "sendEmail",
        {"to": "bob@contoso.com", "subject": "x", "body": "y",
         "attachments": [{"name": "big.bin", "contentBytes": b64(big)}]},
        consent="confirmed",
    )  # fmt: skip
    assert result.is_error
    assert "approve the mail.write permission" in text(result)
    assert "(Mail.ReadWrite)" in text(result)


async def test_it_refuses_an_upload_url_off_outlooks_hosts(call_tool, graph) -> None:
    graph.post(DRAFTS_URL, status=201, json={"id": DRAFT_ID})
    graph.post(
        f"{DRAFT_URL}/attachments/createUploadSession",
        status=201,
        json={"uploadUrl": "https://evil.example/upload"},
    )
    graph.delete(DRAFT_URL, status=204)
    big = b"z" * (4 * 1024 * 1024)
    result = await call_tool(
        "sendEmail",
        {"to": "bob@contoso.com", "subject": "x", "body": "y",
         "attachments": [{"name": "big.bin", "contentBytes": b64(big)}]},
        consent="confirmed",
    )  # fmt: skip
    assert result.is_error
    assert "could not read" in text(result)
    assert not any("evil.example" in c.request.url for c in graph.calls)


@pytest.mark.parametrize(
    ("size", "body", "inline"),
    [(2_900_000, "short", True), (2_900_000, "y" * 100_000, False), (3_000_000, "", False)],
)
def test_it_sends_inline_only_while_the_request_fits_four_megabytes(size, body, inline) -> None:
    attachment = schemas.AttachmentIn(name="a.bin", contentBytes=b64(b"x" * size))
    payload = {"message": {"body": body, "attachments": [uploads.file_attachment(attachment)]}}
    assert uploads.fits_inline(body, [attachment]) is inline
    if inline:
        assert len(json.dumps(payload)) < 4 * 1024 * 1024

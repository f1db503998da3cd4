"""The mail tools against the local fake of Microsoft (tests/fakes), in-process: real HTTP,
real wire shapes, effects checked in the fake's mailboxes, each person's own data."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User

from tests.fakes.graph_items import outlook_id
from tests.graph_tools.conftest import ConnectToFake, text

pytestmark = pytest.mark.django_db(transaction=True)
PERMISSIONS = ["User.Read", "Mail.Read", "Mail.ReadWrite", "Mail.Send", "MailboxSettings.Read"]
Q3 = outlook_id("alice", "message", "q3-budget")
Q3_ATTACHMENT = outlook_id("alice", "attachment", "q3")
BOBS_MESSAGE = outlook_id("bob", "message", "floorplan")


@pytest.fixture
def alice(connect_to_fake: ConnectToFake) -> User:
    return connect_to_fake("alice", PERMISSIONS)


def folder_of(fake, person: str, well_known: str) -> Any:
    folders = fake.graph_data(person)["mailFolders"]
    return next(f["id"] for f in folders if f.get("_wellKnownName") == well_known)


def in_folder(fake, person: str, well_known: str) -> list[dict[str, Any]]:
    folder = folder_of(fake, person, well_known)
    return [m for m in fake.graph_data(person)["messages"] if m["parentFolderId"] == folder]


async def test_a_sent_mail_lands_in_sent_items_with_cc_bcc_and_attachment(
    call_tool, microsoft_settings
) -> None:
    result = await call_tool(
        "sendEmail",
        {"to": "bob@contoso.onmicrosoft.com", "cc": "anna@contoso.com",
         "bcc": ["audit@contoso.com"], "subject": "Numbers", "body": "<p>See the file.</p>",
         "contentType": "html",
         "attachments": [{"name": "q3.csv", "contentBytes": base64.b64encode(b"a,b").decode()}]},
        consent="confirmed",
    )  # fmt: skip
    assert not result.is_error, text(result)
    sent = in_folder(microsoft_settings, "alice", "sentitems")[-1]
    assert sent["subject"] == "Numbers"
    assert sent["from"]["emailAddress"]["address"] == "alice@contoso.onmicrosoft.com"
    assert [r["emailAddress"]["address"] for r in sent["toRecipients"]] == [
        "bob@contoso.onmicrosoft.com"
    ]
    assert [r["emailAddress"]["address"] for r in sent["ccRecipients"]] == ["anna@contoso.com"]
    assert [r["emailAddress"]["address"] for r in sent["bccRecipients"]] == ["audit@contoso.com"]
    assert sent["body"] == {"contentType": "html", "content": "<p>See the file.</p>"}
    (attachment,) = sent["attachments"]
    assert (attachment["name"], attachment["contentType"]) == ("q3.csv", "text/csv")
    assert base64.b64decode(attachment["contentBytes"]) == b"a,b"
    assert sent["hasAttachments"] is True


async def test_a_large_attachment_travels_through_an_upload_session(
    call_tool, microsoft_settings
) -> None:
    big = bytes(range(251)) * (4 * 1024 * 1024 // 251)  # ~4 MiB, two chunks
    drafts_before = len(in_folder(microsoft_settings, "alice", "drafts"))
    result = await call_tool(
        "sendEmail",
        {"to": "bob@contoso.onmicrosoft.com", "subject": "Recording", "body": "Attached.",
         "attachments": [{"name": "call.m4a", "contentBytes": base64.b64encode(big).decode()}]},
        consent="confirmed",
    )  # fmt: skip
    assert not result.is_error, text(result)
    sent = in_folder(microsoft_settings, "alice", "sentitems")[-1]
    assert sent["subject"] == "Recording"
    (attachment,) = sent["attachments"]
    assert base64.b64decode(attachment["contentBytes"]) == big
    assert attachment["size"] == len(big)
    assert len(in_folder(microsoft_settings, "alice", "drafts")) == drafts_before
    assert microsoft_settings.graph_data("alice")["uploadSessions"] == []
    methods = [(r.method, r.person) for r in microsoft_settings.graph_requests]
    assert methods.count(("PUT", "alice")) == 2


async def test_alice_never_reaches_bobs_messages(call_tool, microsoft_settings) -> None:
    for tool, arguments in [
        ("getEmail", {"messageId": BOBS_MESSAGE}),
        ("listAttachments", {"messageId": BOBS_MESSAGE}),
        ("updateEmail", {"messageId": BOBS_MESSAGE, "isRead": True}),
        ("deleteEmail", {"messageId": BOBS_MESSAGE, "confirm": True}),
    ]:
        result = await call_tool(tool, arguments)
        assert result.is_error, tool
        assert "could not find that item" in text(result)
    bobs = next(
        m for m in microsoft_settings.graph_data("bob")["messages"] if m["id"] == BOBS_MESSAGE
    )
    assert bobs["isRead"] is False
    found = await call_tool("searchEmails", {"query": "floor plan"})
    assert found.structured_content["messages"] == []


async def test_it_reads_an_html_message_as_text(call_tool, microsoft_settings) -> None:
    lunch = outlook_id("alice", "message", "lunch")
    result = await call_tool("getEmail", {"messageId": lunch})
    out = result.structured_content
    stored = next(m for m in microsoft_settings.graph_data("alice")["messages"] if m["id"] == lunch)
    received = datetime.fromisoformat(stored["receivedDateTime"])  # UTC, as Graph keeps it
    pacific = received.astimezone(ZoneInfo("America/Los_Angeles")).isoformat(timespec="seconds")
    # In alice's mailbox zone (the fake's mailboxSettings), with its offset.
    assert (out["receivedDateTime"], out["timeZone"]) == (pacific, "Pacific Standard Time")
    assert out["from"] == "Anna Lindqvist <anna.lindqvist@contoso.onmicrosoft.com>"
    assert out["body"] == (
        "Hi Alice,\n\nshall we try the new cafeteria on Thursday at 12:00?\n\nAnna"
    )
    assert "alert" not in text(result)


async def test_it_finds_and_downloads_an_attachment(call_tool) -> None:
    found = await call_tool("searchEmails", {"query": "from:bob subject:budget"})
    assert [m["id"] for m in found.structured_content["messages"]] == [Q3]
    listed = await call_tool("listAttachments", {"messageId": Q3})
    assert [a["id"] for a in listed.structured_content["attachments"]] == [Q3_ATTACHMENT]
    result = await call_tool("getAttachment", {"messageId": Q3, "attachmentId": Q3_ATTACHMENT})
    assert base64.b64decode(result.content[1].resource.blob).startswith(b"quarter,team")


async def test_it_replies_to_all_but_alice_herself(call_tool, microsoft_settings) -> None:
    offsite = outlook_id("alice", "message", "offsite")
    result = await call_tool(
        "replyToEmail",
        {"messageId": offsite, "comment": "Count me in.", "replyAll": True},
        consent="confirmed",
    )
    assert not result.is_error, text(result)
    reply = in_folder(microsoft_settings, "alice", "sentitems")[-1]
    assert reply["subject"] == "RE: Offsite agenda"
    assert [r["emailAddress"]["address"] for r in reply["toRecipients"]] == ["events@contoso.com"]
    assert "Count me in." in reply["body"]["content"]


async def test_it_forwards_with_the_attachments(call_tool, microsoft_settings) -> None:
    result = await call_tool(
        "forwardEmail",
        {"messageId": Q3, "to": "anna@contoso.com", "comment": "FYI"},
        consent="confirmed",
    )
    assert not result.is_error, text(result)
    forwarded = in_folder(microsoft_settings, "alice", "sentitems")[-1]
    assert forwarded["subject"] == "FW: Q3 budget review"
    assert [a["name"] for a in forwarded["attachments"]] == ["Q3-budget.csv"]


async def test_it_drafts_then_sends(call_tool, microsoft_settings) -> None:
    draft = await call_tool(
        "createDraft", {"to": "bob@contoso.onmicrosoft.com", "subject": "Plan", "body": "v1"}
    )
    draft_id = draft.structured_content["id"]
    assert any(m["id"] == draft_id for m in in_folder(microsoft_settings, "alice", "drafts"))
    sent = await call_tool("sendDraft", {"messageId": draft_id}, consent="confirmed")
    assert not sent.is_error, text(sent)
    assert sent.structured_content == {
        "subject": "Plan",
        "recipients": ["bob@contoso.onmicrosoft.com"],
    }
    assert not any(m["id"] == draft_id for m in in_folder(microsoft_settings, "alice", "drafts"))
    assert in_folder(microsoft_settings, "alice", "sentitems")[-1]["subject"] == "Plan"
    again = await call_tool("sendDraft", {"messageId": Q3}, consent="confirmed")
    assert "not a draft" in text(again)


async def test_it_moves_flags_and_deletes(call_tool, microsoft_settings) -> None:
    updated = await call_tool(
        "updateEmail", {"messageId": Q3, "isRead": True, "flag": "flagged", "categories": ["Q3"]}
    )
    assert updated.structured_content == {
        "id": Q3, "isRead": True, "flag": "flagged", "categories": ["Q3"],
    }  # fmt: skip
    moved = await call_tool("moveEmail", {"messageId": Q3, "destinationFolder": "archive"})
    new_id = moved.structured_content["id"]
    assert new_id != Q3
    archived = in_folder(microsoft_settings, "alice", "archive")
    assert any(m["id"] == new_id and m["flag"] == {"flagStatus": "flagged"} for m in archived)
    deleted = await call_tool("deleteEmail", {"messageId": new_id}, consent="confirmed")
    assert deleted.structured_content["folder"] == "deleteditems"
    trash = in_folder(microsoft_settings, "alice", "deleteditems")
    assert any(m["subject"] == "Q3 budget review" for m in trash)  # recoverable, not gone

"""The Microsoft 365 tools end to end: the real server (as `make run` starts it) with the local
fake of Microsoft, driven through /mcp by the mcp SDK client in both protocol eras.

alice and bob get their MCP tokens through the real OAuth flow (our consent page, the fake's
sign-in, the code exchange) with every scope; then each test opens sessions and checks what
the tools did in the fake's own data (``fake.graph_data(person)``), not only in the results.
One server serves the whole module.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from mcp.types import BlobResourceContents, EmbeddedResource, TextResourceContents

from graph_tools.catalog import ALL_TOOLS
from tests.e2e.conftest import LiveServer, live_server
from tests.e2e.m365_session import (
    Confirmer,
    addresses,
    in_folder,
    ok,
    one_with_subject,
    session,
    sign_in,
    subjects,
    text_of,
    tools_list_chars,
)
from tests.fakes.graph_items import outlook_id
from tests.fakes.graph_mail_seed import NEWSLETTERS
from tests.fakes.graph_teams_seed import ALICE_BOB, BOB_ERIK, FALCON, FALCON_GENERAL, MARKETING
from tests.fakes.microsoft import FakeMicrosoft

ALICE_MAIL = "alice@contoso.onmicrosoft.com"
BOB_MAIL = "bob@contoso.onmicrosoft.com"
ZONE = "W. Europe Standard Time"
Q3 = outlook_id("alice", "message", "q3-budget")
Q3_ATTACHMENT = outlook_id("alice", "attachment", "q3")
TOKENS_BUDGET = 12_000  # tokens of tools/list JSON, at 4 characters a token (issue 5)


@pytest.fixture(scope="module")
def fake(fake_microsoft_server: FakeMicrosoft) -> Iterator[FakeMicrosoft]:
    """The session's fake, freshly seeded, kept for this module (its tests build on it)."""
    fake_microsoft_server.reset()
    yield fake_microsoft_server
    fake_microsoft_server.reset()


@pytest.fixture(scope="module")
def server(fake: FakeMicrosoft, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    database: Path = tmp_path_factory.mktemp("m365-e2e") / "db.sqlite3"
    with live_server(fake, database=database) as running:
        yield running


@pytest.fixture(scope="module")
def tokens(server: LiveServer) -> dict[str, str]:
    return {person: sign_in(server, person) for person in ("alice", "bob")}


def days_ahead(days: int, clock: str) -> str:
    return f"{(datetime.now(UTC).date() + timedelta(days=days)).isoformat()}T{clock}:00"


# --- tools/list and resources ----------------------------------------------------------------


async def test_tools_list_offers_every_tool_within_the_token_budget(server, tokens) -> None:
    async with session(server, tokens["alice"], mode="auto") as client:
        listed = await client.list_tools()
        assert client.protocol_version == "2026-07-28"
    names = {tool.name for tool in listed.tools}
    assert {tool.name for tool in ALL_TOOLS} <= names
    chars = tools_list_chars(listed.tools)
    print(f"tools/list: {len(listed.tools)} tools, {chars} chars, ~{chars // 4} tokens")
    assert chars / 4 < TOKENS_BUDGET


async def test_the_three_resources_are_listed_and_read(server, tokens) -> None:
    async with session(server, tokens["alice"], mode="auto") as client:
        listed = await client.list_resources()
        uris = {str(resource.uri) for resource in listed.resources}
        assert {"microsoft://profile", "microsoft://calendars", "microsoft://teams"} <= uris
        read = {uri: await client.read_resource(uri) for uri in sorted(uris)}
    texts = {}
    for uri, result in read.items():
        (content,) = result.contents
        assert isinstance(content, TextResourceContents), uri
        texts[uri] = content.text
    profile = json.loads(texts["microsoft://profile"])
    assert (profile["displayName"], profile["mail"]) == ("Alice Archer", ALICE_MAIL)
    assert "Calendar" in texts["microsoft://calendars"]
    assert "Birthdays" in texts["microsoft://calendars"]
    assert "Project Falcon" in texts["microsoft://teams"]
    assert "Engineering" not in texts["microsoft://teams"]  # bob's team, not alice's


# --- mail ------------------------------------------------------------------------------------


async def test_send_email_with_cc_bcc_and_an_attachment_legacy_with_confirm(
    server, tokens, fake
) -> None:
    data = b"quarter,amount\nQ4,130000\n"
    arguments = {
        "to": [BOB_MAIL, "anna.lindqvist@contoso.onmicrosoft.com"],
        "cc": ["carol@contoso.onmicrosoft.com"],
        "bcc": ["audit@contoso.com", "records@contoso.com"],
        "subject": "Q4 forecast",
        "body": "Hi both, the forecast is attached.",
        "attachments": [
            {"name": "q4.csv", "contentType": "text/csv",
             "contentBytes": base64.b64encode(data).decode()}
        ],
    }  # fmt: skip
    async with session(server, tokens["alice"], mode="legacy") as client:
        assert client.protocol_version == "2025-11-25"
        refused = await client.call_tool("sendEmail", arguments)
        assert refused.is_error
        assert "confirm" in text_of(refused)
        assert "Q4 forecast" not in subjects(fake, "alice", "sentitems")
        result = ok(await client.call_tool("sendEmail", {**arguments, "confirm": True}))
    assert result["attachmentCount"] == 1
    sent = one_with_subject(fake, "alice", "sentitems", "Q4 forecast")
    assert addresses(sent["toRecipients"]) == arguments["to"]
    assert addresses(sent["ccRecipients"]) == arguments["cc"]
    assert addresses(sent["bccRecipients"]) == arguments["bcc"]
    assert sent["from"]["emailAddress"]["address"] == ALICE_MAIL
    assert "the forecast is attached" in sent["body"]["content"]
    (attachment,) = sent["attachments"]
    assert (attachment["name"], attachment["contentType"]) == ("q4.csv", "text/csv")
    assert base64.b64decode(attachment["contentBytes"]) == data


async def test_reading_mail_legacy(server, tokens, fake) -> None:
    async with session(server, tokens["alice"], mode="legacy") as client:
        inbox = ok(await client.call_tool("getEmails", {"count": 3}))
        found = ok(await client.call_tool("searchEmails", {"query": "budget"}))
        message = ok(await client.call_tool("getEmail", {"messageId": Q3}))
        listed = ok(await client.call_tool("listAttachments", {"messageId": Q3}))
        arguments = {"messageId": Q3, "attachmentId": Q3_ATTACHMENT}
        attachment = await client.call_tool("getAttachment", arguments)
        file = ok(attachment)
        read = await client.read_resource(file["uri"])
    seeded = sorted(
        in_folder(fake, "alice", "inbox"), key=lambda m: m["receivedDateTime"], reverse=True
    )
    assert [m["id"] for m in inbox["messages"]] == [m["id"] for m in seeded[:3]]
    assert inbox["nextCursor"]
    assert Q3 in [m["id"] for m in found["messages"]]
    assert message["subject"] == "Q3 budget review"
    assert "the Q3 numbers are attached" in message["body"]
    assert [a["id"] for a in listed["attachments"]] == [Q3_ATTACHMENT]
    expected = b"quarter,team,amount\nQ3,Product,120000\n"
    embedded = [block for block in attachment.content if isinstance(block, EmbeddedResource)]
    assert len(embedded) == 1, attachment.content
    assert isinstance(embedded[0].resource, BlobResourceContents)
    assert str(embedded[0].resource.uri) == file["uri"]
    assert base64.b64decode(embedded[0].resource.blob) == expected
    (content,) = read.contents
    assert isinstance(content, BlobResourceContents)
    assert base64.b64decode(content.blob) == expected


async def test_a_folder_of_120_messages_is_walked_with_cursors(server, tokens, fake) -> None:
    seen: list[str] = []
    async with session(server, tokens["alice"], mode="auto") as client:
        folders = ok(await client.call_tool("listMailFolders", {}))["folders"]
        (newsletters,) = [f for f in folders if f["displayName"] == "Newsletters"]
        assert newsletters["totalItemCount"] == NEWSLETTERS
        cursor = None
        for _ in range(NEWSLETTERS // 50 + 2):
            arguments = {"folder": newsletters["id"], "count": 50}
            page = ok(await client.call_tool("getEmails", {**arguments, "cursor": cursor}))
            seen += [m["id"] for m in page["messages"]]
            cursor = page.get("nextCursor")
            if not cursor:
                break
    stored = {m["id"] for m in fake.graph_data("alice")["messages"]}
    newsletter_ids = {outlook_id("alice", "newsletter", n) for n in range(1, NEWSLETTERS + 1)}
    assert newsletter_ids <= stored
    assert len(seen) == NEWSLETTERS
    assert set(seen) == newsletter_ids


async def test_mail_writes_modern_with_elicitation(server, tokens, fake) -> None:
    person = Confirmer()
    offsite = outlook_id("alice", "message", "offsite")
    lunch = outlook_id("alice", "message", "lunch")
    digest = outlook_id("alice", "message", "digest")
    async with session(server, tokens["alice"], mode="auto", person=person) as client:
        arguments = {"messageId": offsite, "comment": "Count me in.", "replyAll": True}
        replied = ok(await client.call_tool("replyToEmail", arguments))
        forward = {"messageId": Q3, "to": "anna.lindqvist@contoso.onmicrosoft.com"}
        forwarded = ok(await client.call_tool("forwardEmail", {**forward, "comment": "FYI"}))
        draft = ok(
            await client.call_tool(
                "createDraft",
                {"to": BOB_MAIL, "cc": "carol@contoso.onmicrosoft.com", "subject": "Plan B",
                 "body": "Draft one."},
            )
        )  # fmt: skip
        stored_draft = one_with_subject(fake, "alice", "drafts", "Plan B")
        assert stored_draft["id"] == draft["id"]
        sent_draft = ok(await client.call_tool("sendDraft", {"messageId": draft["id"]}))
        flagged = {"messageId": lunch, "isRead": True, "flag": "flagged"}
        updated = ok(await client.call_tool("updateEmail", {**flagged, "categories": ["Food"]}))
        destination = {"messageId": digest, "destinationFolder": "archive"}
        moved = ok(await client.call_tool("moveEmail", destination))
        assert client.protocol_version == "2026-07-28"
    # Only the sends asked the person (createDraft, updateEmail and moveEmail are not destructive).
    assert len(person.asked) == 3, person.asked
    # The reply-all question names the message and everyone who gets the reply, not alice.
    assert person.asked[0] == (
        "Send your reply to \u201cOffsite agenda\u201d to events@contoso.com, "
        "anna.lindqvist@contoso.onmicrosoft.com?"
    )
    assert "anna.lindqvist@contoso.onmicrosoft.com" in person.asked[1]
    assert person.asked[2].startswith("Send the draft \u201c")
    reply = one_with_subject(fake, "alice", "sentitems", "RE: Offsite agenda")
    # Reply-all goes to replyTo and the other recipients, never back to alice herself.
    assert addresses(reply["toRecipients"]) == ["events@contoso.com"]
    assert addresses(reply["ccRecipients"]) == ["anna.lindqvist@contoso.onmicrosoft.com"]
    assert replied["to"] == ["events@contoso.com", "anna.lindqvist@contoso.onmicrosoft.com"]
    assert "Count me in." in reply["body"]["content"]
    forward_sent = one_with_subject(fake, "alice", "sentitems", "FW: Q3 budget review")
    assert addresses(forward_sent["toRecipients"]) == forwarded["to"]
    assert [a["name"] for a in forward_sent["attachments"]] == ["Q3-budget.csv"]
    assert sent_draft["recipients"] == [BOB_MAIL, "carol@contoso.onmicrosoft.com"]
    assert "Plan B" not in subjects(fake, "alice", "drafts")
    plan_b = one_with_subject(fake, "alice", "sentitems", "Plan B")
    assert addresses(plan_b["ccRecipients"]) == ["carol@contoso.onmicrosoft.com"]
    assert updated == {"id": lunch, "isRead": True, "flag": "flagged", "categories": ["Food"]}
    stored_lunch = one_with_subject(fake, "alice", "inbox", "Lunch on Thursday?")
    assert stored_lunch["isRead"] is True
    assert stored_lunch["flag"] == {"flagStatus": "flagged"}
    assert stored_lunch["categories"] == ["Food"]
    archived = one_with_subject(fake, "alice", "archive", "Your weekly digest")
    assert archived["id"] == moved["id"] != digest


async def test_delete_email_asks_by_elicitation_in_a_legacy_session(server, tokens, fake) -> None:
    junk = outlook_id("alice", "message", "junk")
    declining, accepting = Confirmer(accept=False), Confirmer()
    async with session(server, tokens["alice"], mode="legacy", person=declining) as client:
        declined = await client.call_tool("deleteEmail", {"messageId": junk, "confirm": True})
    assert declined.is_error, text_of(declined)
    assert len(declining.asked) == 1
    assert one_with_subject(fake, "alice", "junkemail", "You won a prize!!!")["id"] == junk
    async with session(server, tokens["alice"], mode="legacy", person=accepting) as client:
        assert client.protocol_version == "2025-11-25"
        deleted = ok(await client.call_tool("deleteEmail", {"messageId": junk}))
    assert len(accepting.asked) == 1
    assert "Deleted Items" in accepting.asked[0]
    assert deleted["folder"] == "deleteditems"
    assert not [m for m in in_folder(fake, "alice", "junkemail") if m["id"] == junk]
    assert one_with_subject(fake, "alice", "deleteditems", "You won a prize!!!")


# --- calendar --------------------------------------------------------------------------------


async def test_calendar_tools_legacy(server, tokens, fake) -> None:
    start, end = days_ahead(10, "14:00"), days_ahead(10, "15:00")
    planning = outlook_id("alice", "planning")
    create = {
        "subject": "Launch review",
        "start": start,
        "end": end,
        "timeZone": ZONE,
        "attendees": [BOB_MAIL],
        "body": "Go / no-go for the launch.",
        "location": "Room 18/3001",
        "isOnlineMeeting": True,
        "reminderMinutesBeforeStart": 10,
    }
    window = {"startDateTime": days_ahead(10, "00:00"), "endDateTime": days_ahead(11, "00:00")}
    async with session(server, tokens["alice"], mode="legacy") as client:
        upcoming = ok(await client.call_tool("getCalendarEvents", {"days": 7}))
        created = ok(await client.call_tool("createCalendarEvent", create))
        on_the_day = ok(await client.call_tool("getCalendarEvents", {**window, "timeZone": ZONE}))
        event = ok(await client.call_tool("getEvent", {"eventId": created["id"]}))
        update = {"eventId": created["id"], "location": "Room 18/1001"}
        updated = ok(await client.call_tool("updateEvent", update))
        answer = {"eventId": planning, "response": "accept", "comment": "I will be there."}
        responded = ok(await client.call_tool("respondToEvent", answer))
        calendars = ok(await client.call_tool("listCalendars", {}))
        schedule = ok(
            await client.call_tool(
                "getSchedule",
                {"people": [BOB_MAIL], "startDateTime": days_ahead(1, "00:00"),
                 "endDateTime": days_ahead(4, "00:00"), "timeZone": ZONE},
            )
        )  # fmt: skip
        times = ok(
            await client.call_tool(
                "findMeetingTimes", {"attendees": [BOB_MAIL], "durationMinutes": 30}
            )
        )
        cancel = {"eventId": created["id"], "comment": "Moved online.", "confirm": True}
        cancelled = ok(await client.call_tool("cancelEvent", cancel))
    subjects = [e["subject"] for e in upcoming["events"]]
    assert "Weekly product sync" in subjects
    assert "Vendor demo" not in subjects  # yesterday
    stored = next(e for e in fake.graph_data("alice")["events"] if e["id"] == created["id"])
    assert stored["subject"] == "Launch review"
    assert stored["start"]["timeZone"] == stored["end"]["timeZone"] == ZONE
    assert stored["start"]["dateTime"].startswith(start)
    assert stored["end"]["dateTime"].startswith(end)
    assert stored["isOnlineMeeting"] is True
    assert stored["onlineMeeting"]["joinUrl"].startswith("https://teams.microsoft.com/")
    assert created["joinUrl"] == stored["onlineMeeting"]["joinUrl"]
    assert created["timeZone"] == ZONE
    assert created["start"].startswith(start)
    assert [a["emailAddress"]["address"] for a in stored["attendees"]] == [BOB_MAIL]
    assert stored["reminderMinutesBeforeStart"] == 10
    assert created["id"] in [e["id"] for e in on_the_day["events"]]
    assert event["subject"] == "Launch review"
    assert updated["id"] == created["id"]
    assert stored["location"]["displayName"] == "Room 18/1001"
    assert responded["response"] == "accept"
    planning_stored = next(e for e in fake.graph_data("alice")["events"] if e["id"] == planning)
    assert planning_stored["responseStatus"]["response"] == "accepted"
    assert fake.graph_data("alice")["sentResponses"][-1]["comment"] == "I will be there."
    assert {c["name"] for c in calendars["calendars"]} >= {"Calendar", "Birthdays"}
    (bobs,) = schedule["schedules"]
    assert BOB_MAIL in json.dumps(bobs)
    assert schedule["timeZone"] == ZONE
    assert times["suggestions"] or times["emptySuggestionsReason"]
    assert cancelled["id"] == created["id"]
    assert stored["isCancelled"] is True
    assert fake.graph_data("alice")["sentCancellations"][-1]["to"] == [BOB_MAIL]


# --- Teams and meetings ----------------------------------------------------------------------


async def test_teams_tools_modern_with_confirm(server, tokens, fake) -> None:
    async with session(server, tokens["alice"], mode="auto") as client:
        teams = ok(await client.call_tool("listTeams", {}))
        channels = ok(await client.call_tool("listChannels", {"teamId": FALCON}))
        where = {"teamId": FALCON, "channelId": FALCON_GENERAL}
        before = ok(await client.call_tool("getChannelMessages", {**where, "count": 5}))
        post = {**where, "message": "Release notes are ready", "mentions": [BOB_MAIL]}
        refused = await client.call_tool("sendTeamsMessage", post)
        posted = ok(await client.call_tool("sendTeamsMessage", {**post, "confirm": True}))
        reply = {**where, "messageId": posted["id"], "message": "Link inside.", "confirm": True}
        replied = ok(await client.call_tool("replyToChannelMessage", reply))
        chats = ok(await client.call_tool("listChats", {}))
        chat_before = ok(await client.call_tool("getChatMessages", {"chatId": ALICE_BOB}))
        say = {"chatId": ALICE_BOB, "message": "Running 5 minutes late.", "confirm": True}
        said = ok(await client.call_tool("sendChatMessage", say))
        meeting = ok(
            await client.call_tool(
                "createTeamsMeeting",
                {"subject": "Falcon go/no-go", "startTime": days_ahead(12, "09:00"),
                 "endTime": days_ahead(12, "09:30"), "attendees": [BOB_MAIL], "timeZone": ZONE},
            )
        )  # fmt: skip
    assert [t["id"] for t in teams["teams"]] == [MARKETING, FALCON]
    assert "Design Reviews" in [c["displayName"] for c in channels["channels"]]
    assert len(before["messages"]) == 5
    assert refused.is_error
    assert "confirm" in text_of(refused)
    data = fake.graph_data("alice")
    stored = next(m for m in data["channelMessages"] if m["id"] == posted["id"])
    assert stored["channelIdentity"] == {"teamId": FALCON, "channelId": FALCON_GENERAL}
    assert '<at id="0">Bob Baker</at>' in stored["body"]["content"]
    assert "Release notes are ready" in stored["body"]["content"]
    assert [m["mentioned"]["user"]["id"] for m in stored["mentions"]] == [fake.bob.oid]
    assert posted["mentioned"] == ["Bob Baker"]
    stored_reply = next(m for m in data["channelMessages"] if m["id"] == replied["id"])
    assert stored_reply["replyToId"] == posted["id"]
    assert ALICE_BOB in [c["id"] for c in chats["chats"]]
    assert BOB_ERIK not in [c["id"] for c in chats["chats"]]
    assert chat_before["messages"]
    stored_chat = next(m for m in data["chatMessages"] if m["id"] == said["id"])
    assert stored_chat["chatId"] == ALICE_BOB
    assert stored_chat["body"]["content"] == "Running 5 minutes late."
    stored_meeting = next(e for e in data["events"] if e["id"] == meeting["id"])
    assert stored_meeting["isOnlineMeeting"] is True
    assert stored_meeting["onlineMeeting"]["joinUrl"] == meeting["joinUrl"]
    assert stored_meeting["start"]["timeZone"] == ZONE
    assert [a["emailAddress"]["address"] for a in stored_meeting["attendees"]] == [BOB_MAIL]


# --- contacts and people ---------------------------------------------------------------------


async def test_contacts_and_people_legacy(server, tokens, fake) -> None:
    async with session(server, tokens["alice"], mode="legacy") as client:
        contacts = ok(await client.call_tool("getContacts", {"count": 5, "search": "Hannah"}))
        (hannah,) = contacts["contacts"]
        one = ok(await client.call_tool("getContact", {"contactId": hannah["id"]}))
        new = {"givenName": "Zoe", "surname": "Quinn", "emailAddresses": ["zoe@quinn.example"],
               "companyName": "Quinn & Co", "jobTitle": "Founder"}  # fmt: skip
        created = ok(await client.call_tool("createContact", new))
        change = {"contactId": created["id"], "jobTitle": "CEO"}
        updated = ok(await client.call_tool("updateContact", change))
        people = ok(await client.call_tool("searchPeople", {"query": "anna"}))
        me = ok(await client.call_tool("getUserProfile", {}))
        colleague = ok(await client.call_tool("getUserProfile", {"user": BOB_MAIL}))
    assert "Hannah Schmidt" in json.dumps(hannah)
    assert one["personalNotes"] == "Prefers calls after 2 pm CET."
    stored = next(c for c in fake.graph_data("alice")["contacts"] if c["id"] == created["id"])
    assert stored["displayName"] == "Zoe Quinn" == updated["displayName"]
    assert stored["emailAddresses"][0]["address"] == "zoe@quinn.example"
    assert stored["companyName"] == "Quinn & Co"
    assert stored["jobTitle"] == "CEO"
    assert not [c for c in fake.graph_data("bob")["contacts"] if c["id"] == created["id"]]
    names = [p["displayName"] for p in people["people"]]
    assert "Anna Lindqvist" in names
    assert (me["displayName"], me["mail"]) == ("Alice Archer", ALICE_MAIL)
    assert (colleague["displayName"], colleague["mail"]) == ("Bob Baker", BOB_MAIL)


# --- alice never sees bob's data -------------------------------------------------------------


async def test_alice_never_sees_bobs_data(server, tokens, fake) -> None:
    bob = fake.graph_data("bob")
    bobs_message = bob["messages"][0]["id"]
    bobs_event = bob["events"][0]["id"]
    bobs_contact = bob["contacts"][0]["id"]
    reads = [
        ("getEmail", {"messageId": bobs_message}),
        ("listAttachments", {"messageId": bobs_message}),
        ("getEvent", {"eventId": bobs_event}),
        ("getContact", {"contactId": bobs_contact}),
    ]
    async with session(server, tokens["alice"], mode="auto") as client:
        refused = {name: await client.call_tool(name, arguments) for name, arguments in reads}
        private_chat = await client.call_tool("getChatMessages", {"chatId": BOB_ERIK})
        alices_page = ok(await client.call_tool("getEmails", {"count": 1}))
    for name, result in refused.items():
        assert result.is_error, name
        assert "could not find that item" in text_of(result), (name, text_of(result))
    assert private_chat.is_error
    assert "promotion" not in text_of(private_chat)
    assert alices_page["nextCursor"]
    async with session(server, tokens["bob"], mode="legacy") as client:
        stolen = {"count": 1, "cursor": alices_page["nextCursor"]}
        with_alices_cursor = await client.call_tool("getEmails", stolen)
        bobs_inbox = ok(await client.call_tool("getEmails", {"count": 50}))
        bobs_search = ok(await client.call_tool("searchEmails", {"query": "budget"}))
    assert with_alices_cursor.is_error
    assert "cursor is not valid" in text_of(with_alices_cursor)
    bobs_ids = {m["id"] for m in in_folder(fake, "bob", "inbox")}
    assert {m["id"] for m in bobs_inbox["messages"]} == bobs_ids
    alices_ids = {m["id"] for m in fake.graph_data("alice")["messages"]}
    assert not alices_ids & {m["id"] for m in bobs_inbox["messages"]}
    assert [m["id"] for m in bobs_search["messages"]] == [outlook_id("bob", "message", "q3-sent")]

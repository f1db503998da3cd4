"""Security review: M365_SEND_ALLOWED_DOMAINS cannot be bypassed by how an address is written,
and every tool that sends checks the recipients Graph would send to before it sends."""

from __future__ import annotations

import pytest

from tests.graph_tools.attack_support import (
    EVENT_ID,
    EVENT_URL,
    MESSAGE_ID,
    MESSAGE_URL,
    SECRET,
    allow_only,
    person,
    requests_to,
    text,
)
from tests.graph_tools.scenarios import GRAPH

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def contoso_only(settings) -> None:
    allow_only(settings, "contoso.com")


def send(to: object, **more: object) -> dict[str, object]:
    return {"to": to, "subject": "Hi", "body": "b", **more}


# Written so that a careless check would read them as contoso.com: each is refused.
OUTSIDE = [
    "x@contoso.com.evil.org",
    "x@evilcontoso.com",
    "x@contoso.com.",  # a trailing dot: another spelling, refused rather than guessed
    "x@c\u043entoso.com",  # Cyrillic o
    "x@\uff43\uff4f\uff4e\uff54\uff4f\uff53\uff4f.com",  # fullwidth letters
    "x@contoso.com\u200b",  # zero-width space
    "x@xn--cntoso-2fg.com",
    "x@[10.0.0.1]",
    "x@contoso.co",
]


@pytest.mark.parametrize("address", OUTSIDE)
@pytest.mark.parametrize("field", ["to", "cc", "bcc"])
async def test_it_refuses_look_alike_domains_in_every_field(
    call_tool, graph, address, field
) -> None:
    arguments = {"to": "bob@contoso.com", "subject": "Hi", "body": "b", field: address}
    result = await call_tool("sendEmail", arguments, consent="confirmed")
    assert result.is_error
    assert text(result).startswith("Nothing was sent: this server only sends to contoso.com")
    assert len(graph.calls) == 0


# Forms that smuggle a second address: refused as invalid arguments, before any policy.
SMUGGLED = [
    "Bob <x@evil.org>",
    '"x@evil.org"@contoso.com',
    "x@evil.org@contoso.com",
    "@evil.org:x@contoso.com",
    "x@evil.org\n@contoso.com",
    "x@evil.org (bob@contoso.com)",
    ["bob@contoso.com,x@evil.org"],
    ["bob@contoso.com;x@evil.org"],
]


@pytest.mark.parametrize("address", SMUGGLED)
async def test_it_rejects_addresses_that_hide_another(call_tool, graph, address) -> None:
    result = await call_tool("sendEmail", send(address), consent="confirmed")
    assert result.is_error
    assert text(result).startswith("Invalid arguments for sendEmail: to")
    assert len(graph.calls) == 0


@pytest.mark.parametrize(
    "to",
    [
        "bob@contoso.com, x@evil.org",
        "bob@contoso.com;x@evil.org",
        " bob@contoso.com ;; x@evil.org ",
    ],
)
async def test_it_checks_every_address_of_a_written_list(call_tool, graph, to) -> None:
    result = await call_tool("sendEmail", send(to), consent="confirmed")
    assert "x@evil.org is outside it" in text(result)
    assert len(graph.calls) == 0


@pytest.mark.parametrize(
    "address", ["BOB@CONTOSO.COM", "bob@Eu.Contoso.Com", "o'brien@contoso.com"]
)
async def test_it_sends_to_the_allowed_domain_however_it_is_cased(
    call_tool, graph, address
) -> None:
    graph.post(f"{GRAPH}/me/sendMail", status=202)
    result = await call_tool("sendEmail", send(address), consent="confirmed")
    assert not result.is_error, text(result)
    sent = requests_to(graph, "POST", "/me/sendMail")
    assert len(sent) == 1


async def test_it_refuses_before_an_upload_session_is_opened(call_tool, graph) -> None:
    # 3 MiB goes through a draft and an upload session: the policy comes first all the same.
    big = "eHh4" * (1024 * 1024)
    arguments = send("bob@contoso.com", bcc="x@evil.org")
    arguments["attachments"] = [{"name": "big.bin", "contentBytes": big}]
    result = await call_tool("sendEmail", arguments, consent="confirmed")
    assert "x@evil.org is outside it" in text(result)
    assert len(graph.calls) == 0


async def test_it_refuses_to_forward_outside(call_tool, graph) -> None:
    arguments = {"messageId": MESSAGE_ID, "to": ["bob@contoso.com", "X@Evil.Org"]}
    result = await call_tool("forwardEmail", arguments, consent="confirmed")
    assert "X@Evil.Org is outside it" in text(result)
    assert len(graph.calls) == 0


def original(**fields: object) -> dict[str, object]:
    return {"from": person("bob@contoso.com"), "toRecipients": [], "ccRecipients": [], **fields}


@pytest.mark.parametrize(
    ("message", "reply_all"),
    [
        (original(**{"from": person("mallory@evil.org")}), False),
        (original(replyTo=[person("mallory@evil.org")]), False),
        (original(toRecipients=[person("mallory@evil.org")]), True),
        (original(ccRecipients=[person("bob@contoso.com"), person("m@evil.org")]), True),
    ],
    ids=["outside-sender", "outside-reply-to", "outside-to-on-reply-all", "outside-cc"],
)
async def test_it_refuses_a_reply_that_would_reach_outside(
    call_tool, graph, message, reply_all
) -> None:
    graph.get(MESSAGE_URL, json=message)
    arguments = {"messageId": MESSAGE_ID, "comment": "ok", "replyAll": reply_all}
    result = await call_tool("replyToEmail", arguments, consent="confirmed")
    assert "is outside it" in text(result)
    assert [call.request.method for call in graph.calls] == ["GET"]


async def test_a_plain_reply_ignores_outside_copies(call_tool, graph) -> None:
    # "reply" goes to the sender only: the outside cc is not a recipient.
    graph.get(MESSAGE_URL, json=original(ccRecipients=[person("m@evil.org")]))
    graph.post(f"{MESSAGE_URL}/reply", status=202)
    arguments = {"messageId": MESSAGE_ID, "comment": "ok"}
    result = await call_tool("replyToEmail", arguments, consent="confirmed")
    assert not result.is_error, text(result)
    assert result.structured_content == {"to": ["bob@contoso.com"]}


@pytest.mark.parametrize("kind", ["to", "cc", "bcc"])
async def test_it_refuses_to_send_a_draft_with_an_outside_recipient(call_tool, graph, kind) -> None:
    recipients = {"to": [person("bob@contoso.com")], "cc": [], "bcc": []}
    recipients[kind].append(person("m@evil.org"))
    draft = {
        "subject": "s",
        "isDraft": True,
        **{f"{k}Recipients": v for k, v in recipients.items()},
    }
    graph.get(MESSAGE_URL, json=draft)
    result = await call_tool("sendDraft", {"messageId": MESSAGE_ID}, consent="confirmed")
    assert "m@evil.org is outside it" in text(result)
    assert requests_to(graph, "POST", "/send") == []


async def test_a_draft_may_hold_outside_recipients_until_it_is_sent(call_tool, graph) -> None:
    # Saving is not sending; sendDraft checks the draft's recipients (test above).
    graph.post(f"{GRAPH}/me/messages", status=201, json={"id": "d1", "webLink": ""})
    result = await call_tool("createDraft", {"to": "m@evil.org", "subject": "s"})
    assert not result.is_error, text(result)


async def test_it_refuses_outside_attendees_of_a_new_event(call_tool, graph) -> None:
    arguments = {
        "subject": "Sync",
        "start": "2026-12-01T10:00:00",
        "end": "2026-12-01T11:00:00",
        "attendees": ["bob@contoso.com", "m@evil.org"],
        "isOnlineMeeting": True,
    }
    result = await call_tool("createCalendarEvent", arguments)
    assert "m@evil.org is outside it" in text(result)
    assert len(graph.calls) == 0


async def test_it_refuses_outside_attendees_added_to_an_event(call_tool, graph) -> None:
    arguments = {"eventId": EVENT_ID, "attendees": "bob@contoso.com;m@evil.org"}
    result = await call_tool("updateEvent", arguments)
    assert "m@evil.org is outside it" in text(result)
    assert len(graph.calls) == 0


MEETING = {
    "subject": "Sync",
    "startTime": "2026-12-01T10:00:00",
    "endTime": "2026-12-01T11:00:00",
    "timeZone": "UTC",
}


async def test_it_refuses_outside_attendees_of_a_teams_meeting(call_tool, graph) -> None:
    arguments = {**MEETING, "attendees": ["bob@contoso.com", "m@EVIL.org"]}
    result = await call_tool("createTeamsMeeting", arguments)
    assert "m@EVIL.org is outside it" in text(result)
    assert len(graph.calls) == 0


async def test_it_checks_the_address_the_directory_resolves_to(call_tool, graph) -> None:
    # An inside alias whose directory entry mails outside is refused before the event exists.
    graph.post(
        f"{GRAPH}/$batch",
        json={
            "responses": [
                {"id": "1", "status": 200, "body": {"displayName": "M", "mail": "m@evil.org"}}
            ]
        },
    )
    arguments = {**MEETING, "attendees": "alias@contoso.com"}
    result = await call_tool("createTeamsMeeting", arguments)
    assert "m@evil.org is outside it" in text(result)
    assert requests_to(graph, "POST", "/me/events") == []


# --- calendar actions mail people too: their organizer or attendees must pass the policy


async def test_it_refuses_to_answer_an_organizer_outside_the_allowed_domains(
    call_tool, graph, mailbox_zone, settings
) -> None:
    allow_only(settings, "contoso.com")
    graph.get(EVENT_URL, json={"id": EVENT_ID, "organizer": person("mallory@fabrikam.com")})
    graph.post(f"{EVENT_URL}/accept", status=202)
    result = await call_tool(
        "respondToEvent",
        {"eventId": EVENT_ID, "response": "accept", "comment": f"Here it is: {SECRET}"},
    )
    assert result.is_error
    assert requests_to(graph, "POST", "/accept") == []


async def test_it_refuses_to_mail_a_cancellation_to_outside_attendees(
    call_tool, graph, mailbox_zone, settings
) -> None:
    allow_only(settings, "contoso.com")
    event = {
        "id": EVENT_ID,
        "subject": "Sync",
        "isOrganizer": True,
        "attendees": [person("bob@contoso.com"), person("mallory@fabrikam.com")],
    }
    graph.get(EVENT_URL, json=event)
    graph.post(f"{EVENT_URL}/cancel", status=202)
    result = await call_tool(
        "cancelEvent", {"eventId": EVENT_ID, "comment": SECRET}, consent="confirmed"
    )
    assert result.is_error
    assert requests_to(graph, "POST", "/cancel") == []


async def test_it_refuses_to_mail_an_update_to_outside_attendees(
    call_tool, graph, mailbox_zone, settings
) -> None:
    allow_only(settings, "contoso.com")
    event = {
        "id": EVENT_ID,
        "subject": "Sync",
        "isOrganizer": True,
        "attendees": [person("mallory@fabrikam.com")],
        "start": {"dateTime": "2026-12-01T10:00:00.0000000", "timeZone": "UTC"},
        "end": {"dateTime": "2026-12-01T11:00:00.0000000", "timeZone": "UTC"},
    }
    graph.get(EVENT_URL, json=event)
    graph.patch(EVENT_URL, json=event)
    result = await call_tool("updateEvent", {"eventId": EVENT_ID, "body": SECRET})
    assert result.is_error
    assert requests_to(graph, "PATCH", EVENT_URL.rsplit("/", 1)[1]) == []


# --- a recipient without an address must not slip past the policy


async def test_a_draft_recipient_without_an_address_is_not_sent_blind(
    call_tool, graph, settings
) -> None:
    allow_only(settings, "contoso.com")
    draft = {
        "subject": "s",
        "isDraft": True,
        "toRecipients": [{"emailAddress": {"name": "mallory@fabrikam.com"}}],
        "ccRecipients": [],
        "bccRecipients": [],
    }
    graph.get(MESSAGE_URL, json=draft)
    graph.post(f"{MESSAGE_URL}/send", status=202)
    result = await call_tool("sendDraft", {"messageId": MESSAGE_ID}, consent="confirmed")
    assert result.is_error
    assert requests_to(graph, "POST", "/send") == []

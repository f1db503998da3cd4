"""Seeded mailboxes: alice's, bob's and the outsider's folders and messages (all fictional).

alice has a handful of messages in each well-known folder (one with a file attachment, one
with an attached item, one HTML body with a script to drop) and a "Newsletters" folder of 120
messages for paging; bob has a different, smaller mailbox.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.fakes.graph_items import outlook_id
from tests.fakes.graph_mail_store import (
    WELL_KNOWN_FOLDERS,
    address_of,
    file_attachment,
    message_new,
    recipient,
)
from tests.fakes.people import ALICE, BOB, OUTSIDER, Person
from tests.fakes.state import Collections

NEWSLETTERS = 120
START = datetime(2026, 11, 20, 16, 30, tzinfo=UTC)  # the newest seeded message

ANNA = recipient("Anna Lindqvist", "anna.lindqvist@contoso.onmicrosoft.com")
CHRIS = recipient("Chris Green", "chris.green@fabrikam.com")
NEWS = recipient("Contoso Weekly", "weekly@news.contoso.com")
M365 = recipient("Microsoft 365", "no-reply@microsoft.com")


def at(hours_before: float) -> str:
    return (START - timedelta(hours=hours_before)).strftime("%Y-%m-%dT%H:%M:%SZ")


def text(content: str) -> dict[str, str]:
    return {"contentType": "text", "content": content}


def html(content: str) -> dict[str, str]:
    return {"contentType": "html", "content": f"<html><head></head><body>{content}</body></html>"}


def folders(person: Person, extra: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    root = outlook_id(person.key, "folder", "msgfolderroot")
    made = [
        {
            "id": outlook_id(person.key, "folder", key),
            "displayName": name,
            "parentFolderId": root,
            "isHidden": False,
            "_wellKnownName": key,
        }
        for key, name in WELL_KNOWN_FOLDERS.items()
    ]
    made += [
        {
            "id": outlook_id(person.key, "folder", name),
            "displayName": name,
            "parentFolderId": root,
            "isHidden": False,
        }
        for name in extra
    ]
    return made


def seed(person: Person) -> Collections:
    """This person's seeded mail (the fake's --seed default)."""
    if person.key == ALICE.key:
        return _alice()
    if person.key == BOB.key:
        return _bob()
    boxes = folders(person)
    inbox = boxes[0]
    welcome = message_new(
        person, inbox, subject="Welcome to Fabrikam", body=text("Glad to have you."),
        sender=M365, to=[address_of(OUTSIDER)], at=at(300),
    )  # fmt: skip
    return {"mailFolders": boxes, "messages": [welcome], "uploadSessions": []}


def _alice() -> Collections:
    boxes = folders(ALICE, ("Newsletters",))
    box = {folder.get("_wellKnownName") or folder["displayName"]: folder for folder in boxes}
    me = [address_of(ALICE)]
    messages = [
        message_new(
            ALICE, box["inbox"], subject="Q3 budget review", sender=address_of(BOB), to=me,
            body=text("Hi Alice,\n\nthe Q3 numbers are attached. Can we go through them on "
                      "Monday?\n\nBob"),
            at=at(1), isRead=False, importance="high",
            attachments=[file_attachment(ALICE, "Q3-budget.csv", "text/csv",
                                         b"quarter,team,amount\nQ3,Product,120000\n",
                                         id=outlook_id("alice", "attachment", "q3"),
                                         at=at(1))],
            id=outlook_id("alice", "message", "q3-budget"),
        ),
        message_new(
            ALICE, box["inbox"], subject="Lunch on Thursday?", sender=ANNA, to=me,
            body=html("<p>Hi Alice,</p><p>shall we try the <b>new cafeteria</b> on Thursday "
                      "at 12:00?</p><script>alert('x')</script><p>Anna</p>"),
            at=at(3), isRead=False, id=outlook_id("alice", "message", "lunch"),
        ),
        message_new(
            ALICE, box["inbox"], subject="Offsite agenda", sender=address_of(BOB),
            to=me, ccRecipients=[ANNA], replyTo=[recipient("Events", "events@contoso.com")],
            body=text("Agenda for the offsite is below. Reply to the events team with "
                      "questions."),
            at=at(26), flag={"flagStatus": "flagged"},
            id=outlook_id("alice", "message", "offsite"),
        ),
        message_new(
            ALICE, box["inbox"], subject="FW: Contract draft", sender=CHRIS, to=me,
            body=text("Forwarding the contract thread for your review."), at=at(50),
            attachments=[{
                "@odata.type": "#microsoft.graph.itemAttachment",
                "id": outlook_id("alice", "attachment", "contract-mail"),
                "lastModifiedDateTime": at(50), "name": "Contract draft", "contentType": None,
                "size": 4096, "isInline": False,
            }],
            id=outlook_id("alice", "message", "contract"),
        ),
        message_new(
            ALICE, box["inbox"], subject="Your weekly digest", sender=M365, to=me,
            body=html("<p>You have <b>3</b> new documents shared with you.</p>"), at=at(72),
            categories=["Digest"], id=outlook_id("alice", "message", "digest"),
        ),
        message_new(
            ALICE, box["sentitems"], subject="Roadmap slides", sender=address_of(ALICE),
            to=[address_of(BOB)], body=text("Slides for tomorrow attached soon."), at=at(30),
            id=outlook_id("alice", "message", "roadmap"),
        ),
        message_new(
            ALICE, box["drafts"], subject="Project update (draft)", sender=address_of(ALICE),
            to=[address_of(BOB)], ccRecipients=[ANNA], body=text("Status: on track."),
            at=at(5), isDraft=True, id=outlook_id("alice", "message", "update-draft"),
        ),
        message_new(
            ALICE, box["archive"], subject="Kickoff notes", sender=ANNA, to=me,
            body=text("Notes from the kickoff."), at=at(400),
            id=outlook_id("alice", "message", "kickoff"),
        ),
        message_new(
            ALICE, box["deleteditems"], subject="Old reminder", sender=M365, to=me,
            body=text("This reminder expired."), at=at(500),
            id=outlook_id("alice", "message", "reminder"),
        ),
        message_new(
            ALICE, box["junkemail"], subject="You won a prize!!!", sender=recipient(
                "Prize Desk", "prize@spam.example"), to=me, body=text("Click here."),
            at=at(8), isRead=False, inferenceClassification="other",
            id=outlook_id("alice", "message", "junk"),
        ),
    ]  # fmt: skip
    messages += [_newsletter(box["Newsletters"], number) for number in range(1, NEWSLETTERS + 1)]
    return {"mailFolders": boxes, "messages": messages, "uploadSessions": []}


def _newsletter(folder: dict[str, Any], number: int) -> dict[str, Any]:
    return message_new(
        ALICE, folder, subject=f"Contoso Weekly #{number}", sender=NEWS,
        to=[address_of(ALICE)], body=html(f"<h1>Issue {number}</h1><p>News of the week.</p>"),
        at=at(24 * (NEWSLETTERS - number) + 100), isRead=number % 3 == 0,
        id=outlook_id("alice", "newsletter", number),
    )  # fmt: skip


def _bob() -> Collections:
    boxes = folders(BOB)
    box = {folder["_wellKnownName"]: folder for folder in boxes}
    me = [address_of(BOB)]
    messages = [
        message_new(
            BOB, box["inbox"], subject="Floor plan for the move", sender=ANNA, to=me,
            body=text("Bob, the new floor plan is attached."), at=at(2), isRead=False,
            attachments=[file_attachment(BOB, "floorplan.txt", "text/plain",
                                         b"Level 18: desks 1-40\n",
                                         id=outlook_id("bob", "attachment", "floorplan"),
                                         at=at(2))],
            id=outlook_id("bob", "message", "floorplan"),
        ),
        message_new(
            BOB, box["inbox"], subject="Design review notes", sender=address_of(ALICE),
            to=me, body=html("<p>Thanks for the review, <i>Bob</i>.</p>"), at=at(20),
            id=outlook_id("bob", "message", "design-review"),
        ),
        message_new(
            BOB, box["inbox"], subject="Build is green", sender=recipient(
                "CI", "ci@contoso.com"), to=me, body=text("All checks passed."), at=at(40),
            id=outlook_id("bob", "message", "build"),
        ),
        message_new(
            BOB, box["sentitems"], subject="Q3 budget review", sender=address_of(BOB),
            to=[address_of(ALICE)], body=text("Numbers attached."), at=at(1),
            id=outlook_id("bob", "message", "q3-sent"),
        ),
        message_new(
            BOB, box["drafts"], subject="Holiday plans", sender=address_of(BOB),
            to=[ANNA], body=text("Away in December."), at=at(10), isDraft=True,
            id=outlook_id("bob", "message", "holiday-draft"),
        ),
    ]  # fmt: skip
    return {"mailFolders": boxes, "messages": messages, "uploadSessions": []}

"""Scenarios of the mail tools (see __init__.py), and the Graph replies they share with the
per-tool tests in tests/graph_tools/mail."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import quote

import responses

from tests.graph_tools.scenarios import GRAPH, Scenario

# Outlook ids with every character that must be encoded in a path (wire shapes §2, IDs).
MESSAGE_ID = "AAMkAGI2TG93AAA/bx+Q1=AAA="
MESSAGE_URL = f"{GRAPH}/me/messages/{quote(MESSAGE_ID, safe='')}"
MOVED_ID = "AAMkAGI2TG93AAA/moved=AAA="
ATTACHMENT_ID = "AAMkAGI2TG93AAABEgAQAJ+8/att="
ATTACHMENT_URL = f"{MESSAGE_URL}/attachments/{quote(ATTACHMENT_ID, safe='')}"
NEXT_LINK = f"{GRAPH}/me/mailFolders/inbox/messages?%24top=2&%24skip=2"
CSV = b"quarter,team,amount\nQ3,Product,120000\n"


def address(name: str, mail: str) -> dict[str, Any]:
    return {"emailAddress": {"name": name, "address": mail}}


BOB = address("Bob Baker", "bob@contoso.com")
ANNA = address("Anna Lindqvist", "anna@contoso.com")
ALICE = address("Alice Archer", "alice@contoso.com")

SUMMARY: dict[str, Any] = {
    "@odata.etag": 'W/"CQAAABYAAAC4ofQHEIqCSbQPot83AFcbAAAnjjuZ"',
    "id": MESSAGE_ID,
    "subject": "Q3 budget review",
    "from": BOB,
    "receivedDateTime": "2026-11-20T15:30:00Z",
    "isRead": False,
    "hasAttachments": True,
    "flag": {"flagStatus": "flagged"},
    "bodyPreview": "Hi Alice, the Q3 numbers are attached.",
}
LIST_PAGE: dict[str, Any] = {
    "@odata.context": f"{GRAPH}/$metadata#users('x')/mailFolders('inbox')/messages",
    "value": [
        SUMMARY,
        {
            **SUMMARY,
            "id": "AAMkAGI2second=",
            "subject": "Lunch?",
            "from": ANNA,
            "isRead": True,
            "hasAttachments": False,
            "flag": {"flagStatus": "notFlagged"},
            "bodyPreview": "Thursday at 12?",
        },
    ],
    "@odata.nextLink": NEXT_LINK,
}
ATTACHMENT_INFO: dict[str, Any] = {
    "@odata.type": "#microsoft.graph.fileAttachment",
    "id": ATTACHMENT_ID,
    "name": "Q3-budget.csv",
    "contentType": "text/csv",
    "size": len(CSV),
    "isInline": False,
}
MESSAGE: dict[str, Any] = {
    "@odata.context": f"{GRAPH}/$metadata#users('x')/messages/$entity",
    "@odata.etag": 'W/"CQAAABYAAAC4ofQHEIqCSbQPot83AFcbAAAnjjuZ"',
    "id": MESSAGE_ID,
    "subject": "Q3 budget review",
    "from": BOB,
    "toRecipients": [ALICE],
    "ccRecipients": [ANNA],
    "bccRecipients": [],
    "replyTo": [],
    "sentDateTime": "2026-11-20T15:29:58Z",
    "receivedDateTime": "2026-11-20T15:30:00Z",
    "internetMessageId": "<MWHPR6E1BE060@contoso.example>",
    "webLink": "https://outlook.office365.com/owa/?ItemID=AAMk&exvsurl=1",
    "body": {
        "contentType": "html",
        "content": "<html><head><style>p{}</style></head><body><p>Hi Alice,</p>"
        "<p>the Q3 numbers are <b>attached</b>.</p><script>x()</script></body></html>",
    },
    "attachments": [ATTACHMENT_INFO],
}
FOLDERS: dict[str, Any] = {
    "value": [
        {
            "id": "AAMkAGI2inbox=",
            "displayName": "Inbox",
            "unreadItemCount": 3,
            "totalItemCount": 12,
            "childFolderCount": 1,
        }
    ]
}
REPLY_SOURCE: dict[str, Any] = {
    "id": MESSAGE_ID,
    "from": BOB,
    "replyTo": [],
    "toRecipients": [ALICE, ANNA],
    "ccRecipients": [address("Chris", "chris@fabrikam.com")],
}
DRAFT: dict[str, Any] = {
    "id": MESSAGE_ID,
    "subject": "Project update",
    "isDraft": True,
    "toRecipients": [BOB],
    "ccRecipients": [ANNA],
    "bccRecipients": [],
}
CREATED_DRAFT: dict[str, Any] = {
    **MESSAGE,
    "subject": "Project update",
    "isDraft": True,
    "webLink": "https://outlook.office365.com/owa/?ItemID=draft",
}
MOVED: dict[str, Any] = {**MESSAGE, "id": MOVED_ID}
UPDATED: dict[str, Any] = {
    **MESSAGE,
    "isRead": True,
    "flag": {"flagStatus": "complete"},
    "categories": ["Finance"],
}
ATTACHMENTS: dict[str, Any] = {"value": [ATTACHMENT_INFO]}
ATTACHMENT_FULL: dict[str, Any] = {
    **ATTACHMENT_INFO,
    "contentBytes": base64.b64encode(CSV).decode(),
}


def _json(method: str, url: str, body: Any, status: int = 200) -> Any:
    def happy(mock: responses.RequestsMock) -> None:
        mock.add(method, url, json=body, status=status)

    return happy


def _empty(method: str, url: str) -> Any:
    def happy(mock: responses.RequestsMock) -> None:
        mock.add(method, url, status=202)

    return happy


def _then(*steps: Any) -> Any:
    def happy(mock: responses.RequestsMock) -> None:
        for step in steps:
            step(mock)

    return happy


SCENARIOS: list[Scenario] = [
    Scenario(
        "sendEmail",
        {"to": "bob@contoso.com", "subject": "Lunch?", "body": "Thursday at 12?"},
        ("POST", f"{GRAPH}/me/sendMail"),
        _empty("POST", f"{GRAPH}/me/sendMail"),
        returns_json=False,
    ),
    Scenario(
        "getEmails",
        {"count": 2},
        ("GET", f"{GRAPH}/me/mailFolders/inbox/messages"),
        _json("GET", f"{GRAPH}/me/mailFolders/inbox/messages", LIST_PAGE),
    ),
    Scenario(
        "searchEmails",
        {"query": "from:bob budget"},
        ("GET", f"{GRAPH}/me/messages"),
        _json("GET", f"{GRAPH}/me/messages", {"value": [SUMMARY]}),
    ),
    Scenario(
        "getEmail",
        {"messageId": MESSAGE_ID},
        ("GET", MESSAGE_URL),
        _json("GET", MESSAGE_URL, MESSAGE),
    ),
    Scenario(
        "listMailFolders",
        {},
        ("GET", f"{GRAPH}/me/mailFolders"),
        _json("GET", f"{GRAPH}/me/mailFolders", FOLDERS),
    ),
    Scenario(
        "replyToEmail",
        {"messageId": MESSAGE_ID, "comment": "Monday works."},
        ("GET", MESSAGE_URL),
        _then(_json("GET", MESSAGE_URL, REPLY_SOURCE), _empty("POST", f"{MESSAGE_URL}/reply")),
    ),
    Scenario(
        "forwardEmail",
        {"messageId": MESSAGE_ID, "to": "anna@contoso.com", "comment": "FYI"},
        ("POST", f"{MESSAGE_URL}/forward"),
        _empty("POST", f"{MESSAGE_URL}/forward"),
        returns_json=False,
    ),
    Scenario(
        "createDraft",
        {"to": "bob@contoso.com", "subject": "Project update", "body": "On track."},
        ("POST", f"{GRAPH}/me/messages"),
        _json("POST", f"{GRAPH}/me/messages", CREATED_DRAFT, status=201),
    ),
    Scenario(
        "sendDraft",
        {"messageId": MESSAGE_ID},
        ("GET", MESSAGE_URL),
        _then(_json("GET", MESSAGE_URL, DRAFT), _empty("POST", f"{MESSAGE_URL}/send")),
    ),
    Scenario(
        "moveEmail",
        {"messageId": MESSAGE_ID, "destinationFolder": "archive"},
        ("POST", f"{MESSAGE_URL}/move"),
        _json("POST", f"{MESSAGE_URL}/move", MOVED, status=201),
    ),
    Scenario(
        "updateEmail",
        {"messageId": MESSAGE_ID, "isRead": True},
        ("PATCH", MESSAGE_URL),
        _json("PATCH", MESSAGE_URL, UPDATED),
        extra={"idempotent_post": True},  # PATCH sent with idempotent=True
    ),
    Scenario(
        "deleteEmail",
        {"messageId": MESSAGE_ID},
        ("POST", f"{MESSAGE_URL}/move"),
        _json("POST", f"{MESSAGE_URL}/move", MOVED, status=201),
    ),
    Scenario(
        "listAttachments",
        {"messageId": MESSAGE_ID},
        ("GET", f"{MESSAGE_URL}/attachments"),
        _json("GET", f"{MESSAGE_URL}/attachments", ATTACHMENTS),
    ),
    Scenario(
        "getAttachment",
        {"messageId": MESSAGE_ID, "attachmentId": ATTACHMENT_ID},
        ("GET", ATTACHMENT_URL),
        _then(
            _json("GET", ATTACHMENT_URL, ATTACHMENT_INFO),
            _json("GET", ATTACHMENT_URL, ATTACHMENT_FULL),
        ),
    ),
]

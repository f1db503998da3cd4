"""Security review: the person's Microsoft token only ever goes to the Graph base URL; links
and upload URLs in Graph's replies and cursors from the model cannot point anywhere else."""

from __future__ import annotations

import base64

import pytest

from tests.graph_tools.attack_support import hosts, requests_to, text
from tests.graph_tools.scenarios import GRAPH

pytestmark = pytest.mark.django_db(transaction=True)
INBOX = f"{GRAPH}/me/mailFolders/inbox/messages"
COULD_NOT_READ = "Microsoft 365 sent a reply the server could not read."
BAD_LINKS = [
    "https://evil.example/v1.0/me/messages?$skip=10",
    "http://graph.microsoft.com/v1.0/me/messages?$skip=10",
    "https://graph.microsoft.com.evil.example/v1.0/me/messages",
    "https://graph.microsoft.com@evil.example/v1.0/me/messages",
    "https://evil.example\\@graph.microsoft.com/v1.0/me/messages",
    "https://graph.microsoft.com:8443/v1.0/me/messages",
    "https://graph.microsoft.com/beta/me/messages",
    "https://graph.microsoft.com/v1.0/../beta/me/messages",
    "https://graph.microsoft.com/v1.0evil/me/messages",
    "//evil.example/v1.0/me/messages",
    "/v1.0/me/messages",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("link", BAD_LINKS)
async def test_a_next_link_off_the_graph_base_is_refused(
    call_tool, graph, mailbox_zone, link
) -> None:
    graph.get(INBOX, json={"value": [], "@odata.nextLink": link})
    result = await call_tool("getEmails", {})
    assert text(result).startswith(COULD_NOT_READ)
    assert hosts(graph) == ["graph.microsoft.com"]


async def first_cursor(call_tool, graph, folder: str = "inbox") -> str:
    link = f"{GRAPH}/me/mailFolders/{folder}/messages?%24top=1&%24skip=1"
    graph.get(
        f"{GRAPH}/me/mailFolders/{folder}/messages", json={"value": [], "@odata.nextLink": link}
    )
    result = await call_tool("getEmails", {"folder": folder})
    cursor = result.structured_content["nextCursor"]
    assert isinstance(cursor, str)
    return cursor


async def test_a_cursor_follows_graphs_own_link(call_tool, graph, mailbox_zone) -> None:
    cursor = await first_cursor(call_tool, graph)
    result = await call_tool("getEmails", {"cursor": cursor})
    assert not result.is_error, text(result)
    assert str(graph.calls[1].request.url) == f"{INBOX}?%24top=1&%24skip=1"
    assert graph.calls[1].request.headers["Authorization"] == "Bearer alice-access-1"


async def test_a_changed_cursor_is_refused(call_tool, graph, mailbox_zone) -> None:
    cursor = await first_cursor(call_tool, graph)
    changed = cursor[:-3] + ("AAA" if not cursor.endswith("AAA") else "BBB")
    result = await call_tool("getEmails", {"cursor": changed})
    assert text(result).startswith("The cursor is not valid here")
    assert len(graph.calls) == 1


async def test_a_cursor_of_another_listing_is_refused(call_tool, graph, mailbox_zone) -> None:
    cursor = await first_cursor(call_tool, graph, folder="sentitems")
    result = await call_tool("getEmails", {"folder": "inbox", "cursor": cursor})
    assert text(result).startswith("The cursor is not valid here")
    result = await call_tool("searchEmails", {"query": "x", "cursor": cursor})
    assert text(result).startswith("The cursor is not valid here")
    assert len(graph.calls) == 1


@pytest.mark.parametrize("cursor", ["x" * 4097, "https://evil.example/v1.0/me/messages"])
async def test_a_cursor_the_server_did_not_sign_is_refused(call_tool, graph, cursor) -> None:
    result = await call_tool("getEmails", {"cursor": cursor})
    assert result.is_error
    assert len(graph.calls) == 0


async def test_a_redirect_from_graph_is_not_followed(call_tool, graph, mailbox_zone) -> None:
    graph.get(INBOX, status=302, headers={"Location": "https://evil.example/steal"})
    result = await call_tool("getEmails", {})
    assert text(result).startswith(COULD_NOT_READ)
    assert hosts(graph) == ["graph.microsoft.com"]


BIG = "eHh4" * (1024 * 1024)  # 3 MiB: sent through an upload session
SEND = {
    "to": "bob@contoso.com",
    "subject": "Report",
    "body": "Attached.",
    "attachments": [{"name": "report.bin", "contentBytes": BIG}],
}
SESSION = f"{GRAPH}/me/messages/draft-1/attachments/createUploadSession"


def draft_with_session(graph, upload_url: str) -> None:
    graph.post(f"{GRAPH}/me/messages", status=201, json={"id": "draft-1"})
    graph.post(SESSION, json={"uploadUrl": upload_url})
    graph.delete(f"{GRAPH}/me/messages/draft-1", status=204)


@pytest.mark.parametrize(
    "upload_url",
    [
        "https://evil.example/upload",
        "http://outlook.office.com/api/upload",
        "https://outlook.office.com@evil.example/upload",
        "https://outlook.office.com.evil.example/upload",
        "https://graph.microsoft.com/beta/upload",
        "ftp://outlook.office.com/upload",
    ],
)
async def test_an_upload_url_off_outlook_is_refused_and_the_draft_removed(
    call_tool, graph, upload_url
) -> None:
    draft_with_session(graph, upload_url)
    result = await call_tool("sendEmail", SEND, consent="confirmed")
    assert text(result).startswith(COULD_NOT_READ)
    assert set(hosts(graph)) == {"graph.microsoft.com"}
    assert len(requests_to(graph, "DELETE", "/me/messages/draft-1")) == 1
    assert requests_to(graph, "POST", "/send") == []


async def test_an_upload_url_never_gets_the_token(call_tool, graph) -> None:
    upload = "https://outlook.office.com/api/v2.0/AttachmentSessions('s')?authtoken=t"
    draft_with_session(graph, upload)
    graph.put("https://outlook.office.com/api/v2.0/AttachmentSessions('s')", status=201)
    graph.post(f"{GRAPH}/me/messages/draft-1/send", status=202)
    result = await call_tool("sendEmail", SEND, consent="confirmed")
    assert not result.is_error, text(result)
    (put,) = requests_to(graph, "PUT", "AttachmentSessions('s')")
    assert "Authorization" not in put.headers
    graph_calls = [c.request for c in graph.calls if c.request.method != "PUT"]
    assert all(r.headers["Authorization"] == "Bearer alice-access-1" for r in graph_calls)


# --- F3: upload URL check and requests disagree on the host ("\\@") -----------------------


async def test_an_upload_url_that_requests_sends_elsewhere_is_refused(
    call_tool, graph, no_sleep
) -> None:
    graph.post(f"{GRAPH}/me/messages", status=201, json={"id": "draft-1"})
    graph.post(
        f"{GRAPH}/me/messages/draft-1/attachments/createUploadSession",
        json={"uploadUrl": "https://evil.example\\@outlook.office.com/api/up?authtoken=t"},
    )
    graph.delete(f"{GRAPH}/me/messages/draft-1", status=204)
    big = base64.b64encode(b"x" * (3 * 1024 * 1024)).decode()
    arguments = {
        "to": "bob@contoso.com",
        "subject": "Report",
        "body": "See attached.",
        "attachments": [{"name": "report.bin", "contentBytes": big}],
    }
    result = await call_tool("sendEmail", arguments, consent="confirmed")
    assert result.is_error
    # urlsplit() reads the host as outlook.office.com, requests/urllib3 as evil.example.
    assert "evil.example" not in hosts(graph)

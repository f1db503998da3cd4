"""listAttachments and getAttachment: metadata first, the bytes as an embedded resource up to
10 MiB, above that a link to Outlook; the same bytes through resources/read."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from django.utils import timezone
from mcp.server.mcpserver.exceptions import ResourceError

from graph_tools.mail import selectors
from graph_tools.mail.shapes import MailRefused
from graph_tools.mail.tools import RESOURCES
from mcp_gateway.caller import CALLER, Caller
from mcp_gateway.server import build_server
from tests.graph_tools.conftest import ALL_SCOPES, sent, text
from tests.graph_tools.scenarios.mail import (
    ATTACHMENT_FULL,
    ATTACHMENT_ID,
    ATTACHMENT_INFO,
    ATTACHMENT_URL,
    ATTACHMENTS,
    CSV,
    MESSAGE_ID,
    MESSAGE_URL,
)

pytestmark = pytest.mark.django_db(transaction=True)
FIELDS = "id,name,contentType,size,isInline"
URI = (
    "microsoft://mail/messages/AAMkAGI2TG93AAA%2Fbx%2BQ1%3DAAA%3D"
    "/attachments/AAMkAGI2TG93AAABEgAQAJ%2B8%2Fatt%3D"
)
INFO = {
    "id": ATTACHMENT_ID,
    "name": "Q3-budget.csv",
    "contentType": "text/csv",
    "size": 38,
    "isInline": False,
    "kind": "file",
}
BIG = {**ATTACHMENT_INFO, "name": "video.mp4", "contentType": "video/mp4", "size": 52_428_800}
ITEM = {
    "@odata.type": "#microsoft.graph.itemAttachment",
    "id": ATTACHMENT_ID,
    "name": "Contract draft",
    "contentType": None,
    "size": 4096,
    "isInline": False,
}


async def test_it_lists_attachments_without_their_bytes(call_tool, graph) -> None:
    graph.get(f"{MESSAGE_URL}/attachments", json=ATTACHMENTS)
    result = await call_tool("listAttachments", {"messageId": MESSAGE_ID})
    request = sent(graph)
    assert (request.method, request.url) == ("GET", f"{MESSAGE_URL}/attachments")
    assert request.query == {"$select": FIELDS}
    assert result.structured_content == {"attachments": [INFO]}
    assert (
        text(result)
        == f"1 attachments:\n- {ATTACHMENT_ID} | Q3-budget.csv | text/csv | 38 bytes | file"
    )


async def test_it_returns_an_attachment_as_an_embedded_resource(call_tool, graph) -> None:
    graph.get(ATTACHMENT_URL, json=ATTACHMENT_INFO)
    graph.get(ATTACHMENT_URL, json=ATTACHMENT_FULL)
    result = await call_tool(
        "getAttachment", {"messageId": MESSAGE_ID, "attachmentId": ATTACHMENT_ID}
    )
    first, second = sent(graph, 0), sent(graph, 1)
    assert (first.method, first.url, first.query) == ("GET", ATTACHMENT_URL, {"$select": FIELDS})
    assert (second.method, second.url, second.query) == ("GET", ATTACHMENT_URL, {})
    assert result.structured_content == {**INFO, "uri": URI, "note": None}
    assert text(result) == f"Q3-budget.csv (text/csv, 38 bytes): embedded as {URI}."
    embedded = result.content[1].resource
    assert (str(embedded.uri), embedded.mime_type) == (URI, "text/csv")
    assert base64.b64decode(embedded.blob) == CSV


async def test_it_links_to_outlook_above_the_download_limit(call_tool, graph) -> None:
    graph.get(ATTACHMENT_URL, json=BIG)
    graph.get(MESSAGE_URL, json={"webLink": "https://outlook.office365.com/owa/?ItemID=x"})
    result = await call_tool(
        "getAttachment", {"messageId": MESSAGE_ID, "attachmentId": ATTACHMENT_ID}
    )
    assert sent(graph).query == {"$select": "webLink"}
    assert len(graph.calls) == 2  # the 50 MB were never fetched
    note = (
        "The attachment is 52428800 bytes, above this server's download limit of 10485760 "
        "bytes (10 MiB). The person can open it in Outlook: "
        "https://outlook.office365.com/owa/?ItemID=x"
    )
    assert result.structured_content == {
        **INFO,
        "name": "video.mp4",
        "contentType": "video/mp4",
        "size": 52_428_800,
        "uri": None,
        "note": note,
    }
    assert len(result.content) == 1
    assert text(result) == f"video.mp4 (video/mp4, 52428800 bytes): {note}"


async def test_it_explains_that_an_attached_item_is_no_file(call_tool, graph) -> None:
    graph.get(ATTACHMENT_URL, json=ITEM)
    result = await call_tool(
        "getAttachment", {"messageId": MESSAGE_ID, "attachmentId": ATTACHMENT_ID}
    )
    assert len(graph.calls) == 1
    assert result.structured_content["kind"] == "item"
    assert result.structured_content["uri"] is None
    assert "cannot be downloaded as a file" in result.structured_content["note"]


async def test_it_reports_content_that_is_not_base64(call_tool, graph) -> None:
    graph.get(ATTACHMENT_URL, json=ATTACHMENT_INFO)
    graph.get(ATTACHMENT_URL, json={**ATTACHMENT_INFO, "contentBytes": "%%%"})
    result = await call_tool(
        "getAttachment", {"messageId": MESSAGE_ID, "attachmentId": ATTACHMENT_ID}
    )
    assert result.is_error
    assert "could not read" in text(result)


def test_it_declares_the_attachment_resource() -> None:
    (resource,) = RESOURCES
    assert resource.uri == "microsoft://mail/messages/{messageId}/attachments/{attachmentId}"
    assert (resource.scope, resource.toolset) == ("mail.read", "mail")


def caller_for(person) -> Caller:
    return Caller(
        person=person,
        person_id=person.pk,
        person_name=person.username,
        username=person.username,
        client_pk=0,
        client_id="test",
        client_name="Test",
        scopes=ALL_SCOPES,
        token_pk=0,
        expires=timezone.now() + timedelta(hours=1),
    )


async def read(person, uri: str):
    server = build_server([], resources=True)
    reset = CALLER.set(caller_for(person))
    try:
        return list(await server.read_resource(uri))
    finally:
        CALLER.reset(reset)


async def test_it_reads_the_attachment_through_resources_read(alice, graph) -> None:
    graph.get(ATTACHMENT_URL, json=ATTACHMENT_INFO)
    graph.get(ATTACHMENT_URL, json=ATTACHMENT_FULL)
    (contents,) = await read(alice, URI)
    assert contents.content == CSV
    assert graph.calls[0].request.headers["Authorization"] == "Bearer alice-access-1"


async def test_it_refuses_a_resource_read_above_the_limit(alice, graph) -> None:
    graph.get(ATTACHMENT_URL, json=BIG)
    graph.get(MESSAGE_URL, json={"webLink": "https://outlook.office365.com/owa/?ItemID=x"})
    with pytest.raises(ResourceError, match="above this server's download limit"):
        await read(alice, URI)


def test_it_refuses_ids_that_are_not_ids(alice) -> None:
    with pytest.raises(MailRefused, match="attachment URI is not valid"):
        selectors.attachment_read(
            None,  # type: ignore[arg-type]  # never reached
            {"messageId": "a b", "attachmentId": ATTACHMENT_ID},
        )

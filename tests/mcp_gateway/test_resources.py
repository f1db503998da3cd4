"""Resources are read as the calling person, with the resource's scope, through the SDK."""

from __future__ import annotations

import json

import pytest
import responses
from asgiref.sync import sync_to_async
from mcp.client import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError
from mcp.types import TextResourceContents

from tests.graph_tools.conftest import connect
from tests.graph_tools.scenarios import GRAPH
from tests.mcp_gateway.conftest import MCP_URL

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def graph():
    with responses.RequestsMock() as mock:
        yield mock


async def client_for(gateway, issue_token, person, scope: str) -> Client:
    gateway.headers["Authorization"] = f"Bearer {await issue_token(person, scope=scope)}"
    return Client(streamable_http_client(MCP_URL, http_client=gateway))


async def test_it_lists_the_resources_and_the_attachment_template(
    gateway, alice, issue_token
) -> None:
    async with await client_for(gateway, issue_token, alice, "mail.read") as client:
        resources = {str(r.uri) for r in (await client.list_resources()).resources}
        templates = [
            t.uri_template for t in (await client.list_resource_templates()).resource_templates
        ]
    assert {"microsoft://profile", "microsoft://calendars", "microsoft://teams"} <= resources
    assert templates == ["microsoft://mail/messages/{messageId}/attachments/{attachmentId}"]


async def test_it_reads_the_profile_as_the_caller(gateway, alice, issue_token, graph) -> None:
    await sync_to_async(connect)(alice)
    graph.get(f"{GRAPH}/me", json={"id": "a-1", "displayName": "Alice", "mail": "a@x.example"})
    async with await client_for(gateway, issue_token, alice, "mail.read") as client:
        result = await client.read_resource("microsoft://profile")
    contents = result.contents[0]
    assert isinstance(contents, TextResourceContents)
    assert json.loads(contents.text)["displayName"] == "Alice"
    assert graph.calls[0].request.headers["Authorization"] == "Bearer alice-access-1"


async def test_it_refuses_a_resource_without_its_scope(gateway, alice, issue_token, graph) -> None:
    await sync_to_async(connect)(alice)
    async with await client_for(gateway, issue_token, alice, "mail.read") as client:
        with pytest.raises(MCPError) as raised:
            await client.read_resource("microsoft://calendars")
    assert "calendar.read permission" in str(raised.value)
    assert len(graph.calls) == 0


async def test_it_asks_a_person_without_microsoft_sign_in_to_reconnect(
    gateway, bob, issue_token, graph
) -> None:
    async with await client_for(gateway, issue_token, bob, "mail.read") as client:
        with pytest.raises(MCPError) as raised:
            await client.read_resource("microsoft://profile")
    assert "sign in to Microsoft again" in str(raised.value)

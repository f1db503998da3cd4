"""whoami tells who is signed in, through which client, with which scopes, in both eras."""

from __future__ import annotations

import pytest
from mcp.client import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.types import CallToolResult, TextContent

from mcp_gateway.models import ToolCall
from tests.mcp_gateway.conftest import MCP_URL

pytestmark = pytest.mark.django_db(transaction=True)


def text_of(result: CallToolResult) -> str:
    block = result.content[0]
    assert isinstance(block, TextContent)
    return block.text


@pytest.mark.parametrize(("mode", "version"), [("legacy", "2025-11-25"), ("auto", "2026-07-28")])
async def test_it_names_the_person_client_and_scopes(
    gateway, alice, issue_token, mode, version
) -> None:
    gateway.headers["Authorization"] = f"Bearer {await issue_token(alice, scope='mail.read')}"
    async with Client(streamable_http_client(MCP_URL, http_client=gateway), mode=mode) as client:
        assert client.protocol_version == version
        result = await client.call_tool("whoami", {})
    assert not result.is_error
    assert result.structured_content == {
        "name": "Alice Liddell",
        "username": "alice",
        "client": "Test Assistant",
        "scopes": ["mail.read"],
    }
    assert text_of(result) == (
        "Signed in as Alice Liddell (alice) via Test Assistant; scopes: mail.read."
    )
    call = await ToolCall.objects.select_related("person").aget()
    assert (call.person.username, call.tool, call.outcome) == ("alice", "whoami", "ok")


async def test_it_is_listed_with_schemas_and_annotations(gateway, alice, issue_token) -> None:
    gateway.headers["Authorization"] = f"Bearer {await issue_token(alice)}"
    async with Client(streamable_http_client(MCP_URL, http_client=gateway)) as client:
        tools = (await client.list_tools()).tools
    # Sorted by name, and none of the conformance fixtures: they are never mounted here.
    names = [tool.name for tool in tools]
    assert names == sorted(names)
    assert {"note_send", "whoami"} <= set(names)
    assert not any(name.startswith("test_") for name in names)
    whoami = next(tool for tool in tools if tool.name == "whoami")
    assert whoami.description
    assert whoami.input_schema["type"] == "object"
    assert whoami.input_schema.get("additionalProperties") is False
    output = whoami.output_schema or {}
    assert set(output["properties"]) == {"name", "username", "client", "scopes"}
    assert all(prop["description"] for prop in output["properties"].values())
    annotations = whoami.annotations
    assert annotations is not None
    assert (
        annotations.read_only_hint,
        annotations.destructive_hint,
        annotations.idempotent_hint,
        annotations.open_world_hint,
    ) == (True, False, True, False)


async def test_it_tells_the_model_how_to_fix_bad_arguments(gateway, alice, issue_token) -> None:
    gateway.headers["Authorization"] = f"Bearer {await issue_token(alice)}"
    async with Client(streamable_http_client(MCP_URL, http_client=gateway)) as client:
        result = await client.call_tool("whoami", {"secret": "hunter2"})
    assert result.is_error
    text = text_of(result)
    assert text.startswith("Invalid arguments for whoami: secret: Extra inputs are not permitted")
    assert "call it again" in text
    assert "hunter2" not in text
    assert (await ToolCall.objects.aget()).outcome == "invalid_arguments"

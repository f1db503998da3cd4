"""The deprecated HTTP+SSE transport (GET /sse, POST /messages/) works for older clients,
authenticated like /mcp, with each stream bound to the person that opened it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import anyio
import httpx2
from mcp.client import Client
from mcp.client.sse import sse_client


async def test_it_serves_whoami_to_the_sdk_sse_client(served) -> None:
    headers = {"Authorization": f"Bearer {served.alice_token}"}
    transport = sse_client(f"{served.url}/sse", headers=headers)
    async with Client(transport, mode="legacy") as client:
        tools = [tool.name for tool in (await client.list_tools()).tools]
        result = await client.call_tool("whoami", {})
    assert tools == sorted(tools)
    assert {"whoami", "getEmails", "sendEmail"} <= set(tools)
    assert result.structured_content is not None
    assert result.structured_content["username"] == "alice"


def test_it_challenges_without_a_token(served) -> None:
    response = httpx2.get(f"{served.url}/sse")
    assert response.status_code == 401
    assert 'resource_metadata="' in response.headers["www-authenticate"]


async def test_it_hides_alices_stream_from_bob(served) -> None:
    base_url, alice_token, bob_token = served.url, served.alice_token, served.bob_token
    async with (
        httpx2.AsyncClient(timeout=10) as http,
        http.stream("GET", f"{base_url}/sse", headers=bearer(alice_token)) as stream,
    ):
        lines = stream.aiter_lines()  # kept referenced: closing it would end the stream
        endpoint = await first_endpoint(lines)
        message = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
        stolen = await http.post(f"{base_url}{endpoint}", json=message, headers=bearer(bob_token))
        assert (stolen.status_code, stolen.text) == (404, "Could not find session")
        owned = await http.post(f"{base_url}{endpoint}", json=message, headers=bearer(alice_token))
        assert owned.status_code == 202


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def first_endpoint(lines: AsyncIterator[str]) -> str:
    with anyio.fail_after(10):
        while not (line := await anext(lines)).startswith("data: /messages/"):
            pass
    return line.removeprefix("data: ")

"""The real process (`manage.py serve`, config.asgi routing /mcp) serves the authenticated
gateway in both eras, under uvicorn and under daphne (the `served` fixture)."""

from __future__ import annotations

import httpx2
import pytest
from mcp.client import Client
from mcp.client.streamable_http import streamable_http_client


def test_it_challenges_without_a_token(served) -> None:
    response = httpx2.post(f"{served.url}/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "ping"})
    assert response.status_code == 401
    assert 'resource_metadata="' in response.headers["www-authenticate"]


@pytest.mark.parametrize(("mode", "version"), [("legacy", "2025-11-25"), ("auto", "2026-07-28")])
async def test_it_serves_whoami_in_both_eras(served, mode, version) -> None:
    headers = {"Authorization": f"Bearer {served.alice_token}"}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=30) as http,
        Client(streamable_http_client(f"{served.url}/mcp", http_client=http), mode=mode) as client,
    ):
        assert client.protocol_version == version
        result = await client.call_tool("whoami", {})
    assert result.structured_content == {
        "name": "Test",
        "username": "alice",
        "client": "test client",
        "scopes": ["mail.read"],
    }

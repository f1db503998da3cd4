"""The application runs under uvicorn (the default) and under daphne, MCP included.

daphne sends no ASGI lifespan, so there the first MCP request starts the SDK's session
manager; under uvicorn the lifespan does. Both eras must answer under both servers.
"""

from __future__ import annotations

from pathlib import Path

import httpx2
import pytest
from mcp.client import Client
from mcp.client.streamable_http import streamable_http_client

from tests.processes import database_url, mint_token, running_server


@pytest.fixture(params=["uvicorn", "daphne"], scope="module")
def server(request, tmp_path_factory):
    database = Path(tmp_path_factory.mktemp("db")) / "db.sqlite3"
    with running_server(server=request.param, database=database) as url:
        token = mint_token(
            server_url=url, env={"DATABASE_URL": database_url(database)}, person="alice"
        )
        yield url, token


@pytest.fixture
def base_url(server) -> str:
    return str(server[0])


def test_it_serves_django(base_url: str) -> None:
    assert httpx2.get(f"{base_url}/healthz").json() == {"status": "ok"}
    login = httpx2.get(f"{base_url}/admin/login/")
    assert login.status_code == 200
    assert "Microsoft 365 MCP server" in login.text


def test_it_serves_static_files_itself(base_url: str) -> None:
    response = httpx2.get(f"{base_url}/static/admin/css/base.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")


@pytest.mark.parametrize(("mode", "version"), [("legacy", "2025-11-25"), ("auto", "2026-07-28")])
async def test_it_speaks_both_mcp_eras(server, mode: str, version: str) -> None:
    url, token = server
    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"})
    async with (
        http,
        Client(streamable_http_client(f"{url}/mcp", http_client=http), mode=mode) as client,
    ):
        assert client.protocol_version == version
        assert client.server_info is not None
        assert client.server_info.name == "Microsoft 365"

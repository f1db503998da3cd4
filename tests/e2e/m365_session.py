"""Helpers for the Microsoft 365 tools' end-to-end test: a person's MCP token from the real
OAuth flow, an mcp SDK session on /mcp in either protocol era, and what the fake stores."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qsl, urlsplit

import httpx2
from mcp.client import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.types import CallToolResult, ElicitRequestParams, ElicitResult, TextContent

from tests.e2e.conftest import LiveServer
from tests.e2e.user_agent import UserAgent
from tests.fakes.microsoft import FakeMicrosoft
from tests.pkce import Pkce
from tests.processes import free_port

ALL_SCOPES = (
    "mail.read mail.write mail.send calendar.read calendar.write contacts.read contacts.write "
    "people.read teams.read teams.write meetings.write"
)
SESSION_TIMEOUT = 60  # seconds for one session's calls
Mode = Literal["legacy", "auto"]  # a 2025-11-25 session, or 2026-07-28


def sign_in(server: LiveServer, person: str) -> str:
    """The person's MCP access token with every scope: registration, our consent page, the
    fake's sign-in and the code exchange with PKCE, as a browser and a client would do them."""
    server.fake.sign_in_as(person)
    redirect_uri = f"http://127.0.0.1:{free_port()}/callback"
    client = server.register_client(name=f"M365 e2e ({person})", redirect_uri=redirect_uri)
    pkce = Pkce()
    agent = UserAgent(server.url, server.fake.url)
    try:
        landed = agent.approve(
            server.authorize_url(
                client_id=client["client_id"],
                redirect_uri=redirect_uri,
                pkce=pkce,
                scope=ALL_SCOPES,
            )
        )
    finally:
        agent.close()
    assert landed.startswith(f"{redirect_uri}?"), landed
    params = dict(parse_qsl(urlsplit(landed).query))
    assert "code" in params, params
    response = server.exchange(
        client_id=client["client_id"], code=params["code"], redirect_uri=redirect_uri, pkce=pkce
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert sorted(body["scope"].split()) == sorted(ALL_SCOPES.split()), body["scope"]
    token: str = body["access_token"]
    return token


@dataclass
class Confirmer:
    """Answers the server's confirmation questions (MCP elicitation) and remembers them."""

    accept: bool = True
    asked: list[str] = field(default_factory=list)

    async def elicit(self, context: Any, params: ElicitRequestParams) -> ElicitResult:
        self.asked.append(params.message)
        if not self.accept:
            return ElicitResult(action="decline")
        return ElicitResult(action="accept", content={"confirm": True})


@asynccontextmanager
async def session(
    server: LiveServer, token: str, *, mode: Mode, person: Confirmer | None = None
) -> AsyncIterator[Client]:
    """An mcp SDK client on /mcp with the bearer token; with ``person`` it can elicit."""
    headers = {"Authorization": f"Bearer {token}"}
    async with (
        asyncio.timeout(SESSION_TIMEOUT),
        httpx2.AsyncClient(headers=headers, timeout=30) as http,
        Client(
            streamable_http_client(server.mcp_url, http_client=http),
            mode=mode,
            elicitation_callback=person.elicit if person is not None else None,
        ) as client,
    ):
        yield client


def text_of(result: CallToolResult) -> str:
    block = result.content[0]
    assert isinstance(block, TextContent), block
    return block.text


def ok(result: CallToolResult) -> dict[str, Any]:
    """The structured result of a call that must have succeeded."""
    assert not result.is_error, text_of(result)
    structured: dict[str, Any] | None = result.structured_content
    assert structured is not None, text_of(result)
    return structured


def tools_list_chars(tools: list[Any]) -> int:
    """The compact JSON size of tools/list's tools array, as a client receives it."""
    return sum(
        len(
            json.dumps(
                tool.model_dump(by_alias=True, exclude_none=True, mode="json"),
                separators=(",", ":"),
            )
        )
        for tool in tools
    )


# --- the fake's stored data ----------------------------------------------------------------


def folder_id(fake: FakeMicrosoft, person: str, well_known: str) -> str:
    folders = fake.graph_data(person)["mailFolders"]
    return str(next(f["id"] for f in folders if f.get("_wellKnownName") == well_known))


def in_folder(fake: FakeMicrosoft, person: str, well_known: str) -> list[dict[str, Any]]:
    folder = folder_id(fake, person, well_known)
    return [m for m in fake.graph_data(person)["messages"] if m["parentFolderId"] == folder]


def subjects(fake: FakeMicrosoft, person: str, well_known: str) -> list[str]:
    return [str(m["subject"]) for m in in_folder(fake, person, well_known)]


def one_with_subject(
    fake: FakeMicrosoft, person: str, well_known: str, subject: str
) -> dict[str, Any]:
    (found,) = [m for m in in_folder(fake, person, well_known) if m["subject"] == subject]
    return found


def addresses(recipients: list[dict[str, Any]]) -> list[str]:
    return [r["emailAddress"]["address"] for r in recipients]

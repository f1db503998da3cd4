"""The cast (alice, bob, an outsider), their OAuth clients and tokens, and an in-process gateway.

Tokens are real django-oauth-toolkit rows, stored hashed as in production
(COMPLIANT_BCP_RFC9700_TOKEN_STORAGE); the gateway is the production app stack built fresh
for each test (the SDK's session manager can run only once per instance).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx2
import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from mcp.server import MCPServer
from oauth2_provider.models import AccessToken, Application, set_token_value
from oauthlib.common import generate_token
from pydantic import BaseModel, ConfigDict, Field

from mcp_gateway.audit import audit
from mcp_gateway.registry import ToolDeclaration, ToolSpec, checked, declared_tools
from mcp_gateway.runtime import McpRuntime
from mcp_gateway.server import build_http_app, build_server, transport_security
from tests.processes import REPO, database_url, mint_token, running_server, server_env

PUBLIC_URL = settings.DEPLOYMENT.public_url
MCP_URL = settings.DEPLOYMENT.mcp_resource_url
ALL_READ = "mail.read calendar.read contacts.read people.read teams.read"
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-11-25",
        "capabilities": {},
        "clientInfo": {"name": "test", "version": "1"},
    },
}
ACCEPT = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}

TokenFactory = Callable[..., Awaitable[str]]


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user(
        "alice", email="alice@example.com", first_name="Alice", last_name="Liddell"
    )


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_user("bob", email="bob@example.com")


@pytest.fixture
def outsider(django_user_model):
    return django_user_model.objects.create_user("outsider")


@pytest.fixture
def assistant() -> Application:
    return Application.objects.create(
        name="Test Assistant",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="http://127.0.0.1:3000/callback",
    )


@pytest.fixture
def issue_token(assistant: Application) -> TokenFactory:
    """Issue a token as the authorization server would; await it for the bearer string."""

    @sync_to_async
    def issue(
        user: Any,
        *,
        scope: str = ALL_READ,
        resource: list[str] | None = None,
        expires_in: int = 3600,
        application: Application | None = None,
    ) -> str:
        raw: str = generate_token()
        token = AccessToken(
            user=user,
            application=application or assistant,
            scope=scope,
            expires=timezone.now() + timedelta(seconds=expires_in),
            resource=[MCP_URL] if resource is None else resource,
        )
        set_token_value(token, raw)
        token.save()
        return raw

    return issue


class NoteInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(description="What to send.", max_length=100)


class NoteSent(BaseModel):
    id: str = Field(description="The sent note's id.")


async def send_note(*, person: Any, arguments: NoteInput, request_ids: list[str]) -> NoteSent:
    request_ids.append("graph-request-1")
    if arguments.text == "fail":
        raise GraphLikeError
    return NoteSent(id=f"note-for-{person.get_username()}")


class GraphLikeError(Exception):
    tool_message = (
        "Microsoft 365 refused the note: the mailbox is full. Ask the person to clean up."
    )


SEND_NOTE = ToolSpec(
    name="note_send",
    description="Send a note (a test tool that needs the mail.send scope).",
    scope="mail.send",
    input_model=NoteInput,
    output_model=NoteSent,
    handler=send_note,
    render=lambda sent: f"Sent note {sent.id}.",
    read_only=False,
    destructive=False,
    idempotent=False,
    open_world=True,
)


@pytest.fixture
def tools() -> list[ToolDeclaration]:
    """The production tools plus one test tool that needs a write scope."""
    return checked([*declared_tools(), SEND_NOTE])


@pytest.fixture
def extra_setup() -> Callable[[MCPServer], None] | None:
    """Overridden by tests that add SDK-level fixtures to the server."""
    return None


@pytest.fixture
async def gateway(tools, extra_setup) -> AsyncIterator[httpx2.AsyncClient]:
    """An HTTP client wired in-process to a fresh copy of the production /mcp app."""
    await sync_to_async(cache.clear)()  # rate-limit counters are keyed by reused person ids
    server = build_server(tools)
    if extra_setup is not None:
        extra_setup(server)
    app = build_http_app(server, tools, security=transport_security())
    # As in production: a task of its own, which writes pending audit rows as it stops.
    runtime = McpRuntime(server.session_manager, companions=[audit])
    await runtime.start()
    try:
        transport = httpx2.ASGITransport(app=app)
        # Audit rows are written behind the answers (mcp_gateway.audit): wait for them after
        # each exchange, so that a test reads the rows of the calls it made.
        hooks = {"response": [audit_written]}
        async with httpx2.AsyncClient(
            transport=transport, base_url=PUBLIC_URL, event_hooks=hooks
        ) as client:
            yield client
    finally:
        await runtime.stop()


async def audit_written(_: httpx2.Response) -> None:
    await audit.flush()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **ACCEPT}


MODERN_META = {
    "io.modelcontextprotocol/protocolVersion": "2026-07-28",
    "io.modelcontextprotocol/clientCapabilities": {},
    "io.modelcontextprotocol/clientInfo": {"name": "test", "version": "1"},
}


def modern_request(method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    """A 2026-07-28 request body (stateless: the version and capabilities ride in _meta)."""
    return {
        "jsonrpc": "2.0",
        "id": 7,
        "method": method,
        "params": {**(params or {}), "_meta": MODERN_META},
    }


def modern_call(tool: str, arguments: dict[str, Any] | None = None) -> dict[str, Any]:
    return modern_request("tools/call", {"name": tool, "arguments": arguments or {}})


def modern_headers(
    token: str, tool: str | None = None, method: str = "tools/call"
) -> dict[str, str]:
    headers = {**bearer(token), "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": method}
    return {**headers, "Mcp-Name": tool} if tool else headers


def sse_json(response: httpx2.Response) -> dict[str, Any]:
    """The JSON-RPC message of a response, whether sent as JSON or as one SSE event."""
    if response.headers["content-type"].startswith("application/json"):
        return dict(response.json())
    data = [line[5:].strip() for line in response.text.splitlines() if line.startswith("data:")]
    return dict(json.loads(next(line for line in data if line)))


async def legacy_session(gateway: httpx2.AsyncClient, token: str) -> dict[str, str]:
    """Open a 2025-11-25 session; return the headers that continue it."""
    response = await gateway.post("/mcp", json=INITIALIZE, headers=bearer(token))
    assert response.status_code == 200, response.text
    headers = {
        **bearer(token),
        "Mcp-Session-Id": response.headers["mcp-session-id"],
        "MCP-Protocol-Version": "2025-11-25",
    }
    initialized = {"jsonrpc": "2.0", "method": "notifications/initialized"}
    assert (await gateway.post("/mcp", json=initialized, headers=headers)).status_code == 202
    return headers


def legacy_call(tool: str, arguments: dict[str, Any] | None = None) -> dict[str, Any]:
    params = {"name": tool, "arguments": arguments or {}}
    return {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": params}


CLIENT_ID = """
from oauth2_provider.models import Application
print(Application.objects.get(name="test client").client_id)
"""


@dataclass(frozen=True)
class Served:
    """A running server (its own database) and the tokens of alice and bob there."""

    url: str
    env: dict[str, str]  # for manage.py commands against the server's database
    alice_token: str = ""
    bob_token: str = ""

    def token_for(self, person: str) -> str:
        """A new access token for the person, stored as our AS would store it."""
        return mint_token(server_url=self.url, env=self.env, person=person)

    def revoke(self, token: str) -> None:
        """Revoke the token at the server's RFC 7009 endpoint, as the client itself would."""
        command = [sys.executable, str(REPO / "manage.py"), "shell", "-c", CLIENT_ID]
        shell = subprocess.run(command, env=self.env, check=True, capture_output=True, text=True)
        client_id = shell.stdout.strip().splitlines()[-1]
        form = {"token": token, "token_type_hint": "access_token", "client_id": client_id}
        response = httpx2.post(f"{self.url}/revoke_token/", data=form)
        assert response.status_code == 200, response.text


@pytest.fixture(params=["uvicorn", "daphne"], scope="module")
def served(request, tmp_path_factory) -> Iterator[Served]:
    """A real server process (uvicorn, then daphne) with tokens for alice and bob."""
    database = Path(tmp_path_factory.mktemp("db")) / "db.sqlite3"
    with running_server(server=request.param, database=database) as base_url:
        env = server_env(
            {"DATABASE_URL": database_url(database), "PORT": str(urlsplit(base_url).port)}
        )
        served = Served(base_url, env)
        alice_token, bob_token = served.token_for("alice"), served.token_for("bob")
        yield replace(served, alice_token=alice_token, bob_token=bob_token)

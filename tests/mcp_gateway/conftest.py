"""The cast (alice, bob, an outsider), their OAuth clients and tokens, and an in-process gateway.

Tokens are real django-oauth-toolkit rows, stored hashed as in production
(COMPLIANT_BCP_RFC9700_TOKEN_STORAGE); the gateway is the production app stack built fresh
for each test (the SDK's session manager can run only once per instance).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import Any

import httpx2
import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, set_token_value
from oauthlib.common import generate_token

from mcp_gateway.registry import declared_tools
from mcp_gateway.runtime import McpRuntime
from mcp_gateway.server import build_http_app, build_server, transport_security

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


@pytest.fixture
async def gateway() -> AsyncIterator[httpx2.AsyncClient]:
    """An HTTP client wired in-process to a fresh copy of the production /mcp app."""
    tools = declared_tools()
    server = build_server(tools)
    app = build_http_app(server, tools, security=transport_security())
    runtime = McpRuntime(server.session_manager)  # as in production: a task of its own
    await runtime.start()
    try:
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url=PUBLIC_URL) as client:
            yield client
    finally:
        await runtime.stop()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **ACCEPT}


def modern_call(tool: str, arguments: dict[str, Any] | None = None) -> dict[str, Any]:
    """A 2026-07-28 tools/call body (stateless: the version and capabilities ride in _meta)."""
    return {
        "jsonrpc": "2.0",
        "id": 7,
        "method": "tools/call",
        "params": {
            "name": tool,
            "arguments": arguments or {},
            "_meta": {
                "io.modelcontextprotocol/protocolVersion": "2026-07-28",
                "io.modelcontextprotocol/clientCapabilities": {},
                "io.modelcontextprotocol/clientInfo": {"name": "test", "version": "1"},
            },
        },
    }


def modern_headers(token: str, tool: str) -> dict[str, str]:
    return {
        **bearer(token),
        "MCP-Protocol-Version": "2026-07-28",
        "Mcp-Method": "tools/call",
        "Mcp-Name": tool,
    }

"""The one MCP server instance and its Streamable HTTP app (both protocol eras, from the SDK).

Request path, outermost first:

    TrimmedHeaderValues    header values without surrounding whitespace (RFC 9110 §5.5)
    HostOriginCheck        421 / 403 for a foreign Host / Origin (DNS rebinding)
    BearerAuthentication   401 + challenge; the caller for the SDK and the tools
    RequestBodyLimit       413 past MCP_MAX_REQUEST_BYTES, before the body is read in full
    SessionOpenLimit       429 per person past MCP_SESSIONS_PER_MINUTE new legacy sessions
    SessionRelay           a legacy session held by another process: relay the exchange there
    ToolCallGate           403 insufficient_scope step-up, 429 per-person rate limit
    the SDK's app          both eras: sessions (2025) and stateless requests (2026-07-28)
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from django.conf import settings
from mcp.server import MCPServer
from mcp.server.mcpserver import RequestStateSecurity
from mcp.server.transport_security import RequestBodyLimitMiddleware, TransportSecuritySettings
from starlette.types import ASGIApp

from config.env import is_loopback_host
from graph_tools import catalog
from graph_tools.refresh_loop import TokenRefreshLoop
from mcp_gateway import conf
from mcp_gateway.audit import audit
from mcp_gateway.authentication import BearerAuthentication
from mcp_gateway.execution import tool_invoke
from mcp_gateway.gate import HostOriginCheck, SessionOpenLimit, ToolCallGate, TrimmedHeaderValues
from mcp_gateway.registry import ToolDeclaration, declared_tools, sdk_tool
from mcp_gateway.relay import SessionRelay
from mcp_gateway.resources import resources_register
from mcp_gateway.runtime import McpRuntime
from mcp_gateway.websocket import websocket_app

SERVER_NAME = "Microsoft 365"
INSTRUCTIONS = "Work with the signed-in person's Microsoft 365."


def transport_security(base_url: str | None = None) -> TransportSecuritySettings:
    """Host and Origin allow-lists derived from PUBLIC_URL (MCP transports: DNS rebinding)."""
    public = urlsplit(base_url or settings.DEPLOYMENT.public_url)
    authorities = [public.netloc]
    if is_loopback_host(public.hostname or ""):
        # A local server is reached as 127.0.0.1, [::1] or localhost alike; a rebinding
        # attacker's own host name is still refused.
        port = f":{public.port}" if public.port else ""
        authorities = [f"{name}{port}" for name in ("127.0.0.1", "localhost", "[::1]")]
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=authorities,
        allowed_origins=[f"{public.scheme}://{authority}" for authority in authorities],
    )


def build_server(
    tools: Sequence[ToolDeclaration],
    *,
    name: str = SERVER_NAME,
    instructions: str = INSTRUCTIONS,
    resources: bool = True,
) -> MCPServer:
    server = MCPServer(
        name,
        instructions=instructions,
        tools=[sdk_tool(declaration, tool_invoke) for declaration in tools],
        # One key for every process, so a 2026-07-28 multi-round trip may land on any of them.
        request_state_security=RequestStateSecurity(keys=[conf.request_state_key()]),
    )
    resources_register(server, catalog.offered_resources() if resources else ())
    return server


def build_http_app(
    server: MCPServer,
    tools: Sequence[ToolDeclaration],
    *,
    security: TransportSecuritySettings,
    authenticate: bool = True,
) -> ASGIApp:
    """The ASGI app for /mcp. ``authenticate=False`` only for the loopback conformance fixture
    server (see the serve_conformance_fixtures command); every deployment authenticates."""
    limit = conf.max_request_bytes()
    sdk_app = server.streamable_http_app(transport_security=security, max_request_body_size=limit)
    return guarded(sdk_app, tools, name="mcp", security=security, authenticate=authenticate)


def build_sse_app(
    server: MCPServer, tools: Sequence[ToolDeclaration], *, security: TransportSecuritySettings
) -> ASGIApp:
    """The deprecated HTTP+SSE transport (2024-11-05): ``GET /sse`` opens the stream and names
    ``/messages/?session_id=…`` for the client's POSTs. Kept for older clients and connectors
    configured with the original project's /sse URL; the SDK binds each stream to its caller."""
    limit = conf.max_request_bytes()
    sdk_app = server.sse_app(transport_security=security, max_request_body_size=limit)
    return guarded(sdk_app, tools, name="sse", security=security)


def guarded(
    sdk_app: ASGIApp,
    tools: Sequence[ToolDeclaration],
    *,
    name: str,
    security: TransportSecuritySettings,
    authenticate: bool = True,
) -> ASGIApp:
    """The same checks in front of every transport (the table at the top of this module)."""
    gated = ToolCallGate(sdk_app, tool_scopes={tool.name: tool.scope for tool in tools})
    relayed = SessionOpenLimit(SessionRelay(gated, name=name))
    app: ASGIApp = RequestBodyLimitMiddleware(relayed, conf.max_request_bytes())
    if authenticate:
        app = BearerAuthentication(app)
    return TrimmedHeaderValues(HostOriginCheck(app, security))


TOOLS = declared_tools()
server = build_server(TOOLS)
http_app = build_http_app(server, TOOLS, security=transport_security())
sse_app = build_sse_app(server, TOOLS, security=transport_security())
ws_app = websocket_app(server, transport_security())
# Each server process also renews expiring Microsoft tokens, unless a scheduler does, and
# writes the audit rows still pending when it stops.
runtime = McpRuntime(server.session_manager, companions=[TokenRefreshLoop(), audit])

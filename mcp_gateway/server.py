"""The one MCP server instance and its Streamable HTTP app (both protocol eras, from the SDK)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from mcp.server import MCPServer
from mcp.server.transport_security import TransportSecuritySettings
from starlette.applications import Starlette

from config.env import is_loopback_host
from mcp_gateway.runtime import McpRuntime

SERVER_NAME = "Microsoft 365"


def transport_security() -> TransportSecuritySettings:
    """Host and Origin allow-lists derived from PUBLIC_URL (MCP transports: DNS rebinding)."""
    public = urlsplit(settings.DEPLOYMENT.public_url)
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


def build_server() -> MCPServer:
    return MCPServer(SERVER_NAME, instructions="Work with the signed-in person's Microsoft 365.")


def build_http_app(server: MCPServer) -> Starlette:
    return server.streamable_http_app(transport_security=transport_security())


server = build_server()
http_app = build_http_app(server)
runtime = McpRuntime(server.session_manager)

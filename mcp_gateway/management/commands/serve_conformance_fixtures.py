"""Serve the conformance suite's fixtures through the gateway, without authentication, for CI.

The same server construction and HTTP stack as production (``build_server``,
``build_http_app``), with the fixtures of ``mcp_gateway.conformance`` added and authentication
left out, because the suite's runner cannot send a bearer token. That is only acceptable on a
loopback address, so any other bind address is refused; no setting enables this in a
deployment (config.asgi never mounts it).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from starlette.types import Receive, Scope, Send

from mcp_gateway.conformance import SCHEMA_2020_12_TOOL, fixtures_add
from mcp_gateway.registry import checked, declared_tools
from mcp_gateway.runtime import McpRuntime
from mcp_gateway.server import build_http_app, build_server, transport_security

LOOPBACK = ("127.0.0.1", "::1")


class Command(BaseCommand):
    help = "Serve the MCP conformance fixtures on a loopback address (CI only, no auth)."
    requires_system_checks: list[str] = []  # noqa: RUF012 - serves no deployment

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, required=True)
        parser.add_argument("--host", default="127.0.0.1", help="127.0.0.1 or ::1 only")

    def handle(self, *args: Any, port: int, host: str, **options: Any) -> None:
        if host not in LOOPBACK:
            raise CommandError(
                f"refusing to serve unauthenticated fixtures on {host!r}: only 127.0.0.1 or ::1"
            )
        import uvicorn

        authority = f"[{host}]" if ipaddress.ip_address(host).version == 6 else host
        self.stdout.write(f"Serving conformance fixtures on http://{authority}:{port}/mcp")
        uvicorn.run(
            fixture_app(f"http://{authority}:{port}"),
            host=host,
            port=port,
            lifespan="on",
            log_level="warning",
            server_header=False,
        )


def fixture_app(base_url: str) -> Any:
    tools = checked([*declared_tools(), SCHEMA_2020_12_TOOL])
    server = build_server(tools, resources=False)  # the suite's own resources only
    fixtures_add(server)
    http_app = build_http_app(
        server, tools, security=transport_security(base_url), authenticate=False
    )
    runtime = McpRuntime(server.session_manager)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await runtime.lifespan(scope, receive, send)
        else:
            await http_app(scope, receive, send)

    return app

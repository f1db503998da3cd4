"""The peer: what a team would write instead of this server, a bare ``mcp`` SDK ``MCPServer``.

    python -m bench.peer --port 8700 --identity '{"name": …}'   (BENCH_GRAPH_TOKEN in the env)

Streamable HTTP under uvicorn, both protocol eras, no Django request handling, no
authentication, no scopes, rate limits or audit. It lists the same tools with the same
schemas and shapes results the same way (mcp_gateway.registry.sdk_tool,
execution.success_result), and its getEmails runs the same code through the same Graph client
(graph_tools) on a worker thread. The one Microsoft access token it holds is set on the client
directly, as a bare server holding its own token would: it reads no token store. So Ours minus
Peer is what the gateway adds: routing, Host/Origin, bearer validation, sessions bound to
people, step-up scopes, rate limits, the audit trail and the encrypted token store.
"""

from __future__ import annotations

import argparse
import json
import os
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()  # the Graph client reads its base URL from the settings; no database is used

import anyio  # noqa: E402
import uvicorn  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from mcp.server import MCPServer  # noqa: E402
from mcp.types import CallToolResult  # noqa: E402
from pydantic import BaseModel  # noqa: E402

from graph_tools.client import GraphClient  # noqa: E402
from graph_tools.tooling import Tool  # noqa: E402
from mcp_gateway.execution import error_result, success_result  # noqa: E402
from mcp_gateway.registry import ToolDeclaration, declared_tools, sdk_tool  # noqa: E402
from mcp_gateway.server import INSTRUCTIONS, SERVER_NAME  # noqa: E402
from mcp_gateway.tools import Identity  # noqa: E402


def peer_server(identity: Identity, graph_token: str) -> MCPServer:
    # Never saved: paging seals its cursors to a person's id, and nothing else reads it.
    person = get_user_model()(pk=1, username=identity.username)

    def graph_run(tool: Tool, arguments: BaseModel) -> BaseModel:
        graph = GraphClient(user=person, request_ids=[], scope=tool.scope)
        graph._token = graph_token  # the peer's own token: no token store
        return tool.run(graph, arguments)

    async def invoke(
        declaration: ToolDeclaration, arguments: dict[str, Any], **_: Any
    ) -> CallToolResult:
        if declaration.name == "whoami":
            return success_result(declaration, identity)
        if not isinstance(declaration, Tool):
            return error_result(f"{declaration.name} is not part of the benchmark")
        validated = declaration.input_model.model_validate(arguments)
        output = await anyio.to_thread.run_sync(graph_run, declaration, validated)
        return success_result(declaration, output)

    tools = [sdk_tool(declaration, invoke) for declaration in declared_tools()]
    return MCPServer(SERVER_NAME, instructions=INSTRUCTIONS, tools=tools)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--identity", required=True, help="whoami's answer, as JSON")
    args = parser.parse_args()
    identity = Identity.model_validate(json.loads(args.identity))
    server = peer_server(identity, os.environ["BENCH_GRAPH_TOKEN"])
    app = server.streamable_http_app()
    uvicorn.run(app, host="127.0.0.1", port=args.port, access_log=False, log_level="warning")


if __name__ == "__main__":
    main()

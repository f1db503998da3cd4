"""The measured requests: three workloads in each protocol era, as JSON-RPC over HTTP.

- ``whoami``: a tool call that makes no Graph request (what the gateway itself costs);
- ``getEmails``: ten messages from one mail folder through the Graph client;
- ``tools/list``: the whole catalogue, the largest response.

In the 2026-07-28 era every request stands alone (its version and capabilities ride in
``_meta``); in the 2025-11-25 era each client first opens a session (``initialize``, then
``notifications/initialized``) and names it in every request.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

MODERN, LEGACY = "2026-07-28", "2025-11-25"
ERAS = (MODERN, LEGACY)
WORKLOADS = ("whoami", "getEmails", "tools/list")
CLIENT_INFO = {"name": "bench", "version": "1"}
MODERN_META = {
    "io.modelcontextprotocol/protocolVersion": MODERN,
    "io.modelcontextprotocol/clientCapabilities": {},
    "io.modelcontextprotocol/clientInfo": CLIENT_INFO,
}
ACCEPT = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}


@dataclass(frozen=True)
class Cell:
    workload: str
    era: str

    @property
    def slug(self) -> str:
        return f"{self.era}/{self.workload.replace('/', '-')}"


def exchange(path: str, headers: dict[str, str], body: Any, expect: int = 200) -> dict[str, Any]:
    """One request as bench.load's ``Exchange`` takes it."""
    return {"path": path, "headers": headers, "body": json.dumps(body), "expect": expect}


def call(workload: str, getemails_arguments: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(method, params) of a workload."""
    if workload == "tools/list":
        return "tools/list", {}
    arguments = getemails_arguments if workload == "getEmails" else {}
    return "tools/call", {"name": workload, "arguments": arguments}


def plan(
    cell: Cell,
    *,
    path: str,
    token: str | None,
    getemails_arguments: dict[str, Any],
    paths: dict[str, str] | None = None,
) -> dict[str, Any]:
    """bench.load's ``setup`` and ``request`` for a cell; ``paths`` overrides the path of each
    step (the ceiling answers each by its path)."""
    paths = paths or {}
    base = {**ACCEPT, **({"Authorization": f"Bearer {token}"} if token else {})}
    method, params = call(cell.workload, getemails_arguments)
    if cell.era == MODERN:
        headers = {**base, "MCP-Protocol-Version": MODERN, "Mcp-Method": method}
        if method == "tools/call":
            headers["Mcp-Name"] = params["name"]
        body = {
            "jsonrpc": "2.0",
            "id": 7,
            "method": method,
            "params": {**params, "_meta": MODERN_META},
        }
        return {"setup": [], "request": exchange(paths.get("request", path), headers, body)}
    initialize = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"protocolVersion": LEGACY, "capabilities": {}, "clientInfo": CLIENT_INFO},
    }
    session = {**base, "MCP-Protocol-Version": LEGACY}
    initialized = {"jsonrpc": "2.0", "method": "notifications/initialized"}
    return {
        "setup": [
            exchange(paths.get("initialize", path), base, initialize),
            exchange(paths.get("initialized", path), session, initialized, expect=202),
        ],
        "request": exchange(
            paths.get("request", path),
            session,
            {"jsonrpc": "2.0", "id": 7, "method": method, "params": params},
        ),
    }

"""Attack: a WebSocket message far larger than MCP_MAX_REQUEST_BYTES.

The consumer refuses it (1009) only once the ASGI server has buffered all of it, so the
server itself must stop reading at the same limit (uvicorn would buffer 16 MiB by default).
"""

from __future__ import annotations

from typing import Any

import uvicorn

from mcp_gateway.management.commands.serve import serve_uvicorn


def test_it_caps_websocket_messages_at_the_request_limit(settings, monkeypatch) -> None:
    settings.MCP_MAX_REQUEST_BYTES = 4096
    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: seen.update(options))
    serve_uvicorn("127.0.0.1", 8000, "127.0.0.1")
    assert seen["ws_max_size"] == 4096

"""Attack: what a client puts in X-Request-ID or the path cannot forge a log line or a header.

HTTP parsers refuse raw line breaks in headers, but a percent-encoded path arrives decoded
(``/mcp%0A…``), and an ASGI server or proxy in front may pass a trailing newline through.
"""

from __future__ import annotations

import logging
from typing import Any

from config.logging import request_id_var
from config.requestlog import RequestLogMiddleware


async def served(*, path: str, headers: list[tuple[bytes, bytes]]) -> tuple[list[Any], str]:
    sent: list[Any] = []
    seen = {}

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen["id"] = request_id_var.get()
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": path, "headers": headers}
    await RequestLogMiddleware(app)(scope, None, send)
    return sent, seen["id"]


async def test_it_refuses_an_incoming_request_id_with_a_trailing_newline() -> None:
    sent, request_id = await served(path="/mcp", headers=[(b"x-request-id", b"abcdefgh\n")])
    assert "\n" not in request_id
    assert b"\n" not in dict(sent[0]["headers"])[b"x-request-id"]


async def test_it_logs_a_path_with_a_line_break_on_one_line(caplog) -> None:
    caplog.set_level(logging.INFO, logger="m365mcp.request")
    await served(path="/mcp\nGET /admin/ 200 1ms", headers=[])
    (record,) = [r for r in caplog.records if r.name == "m365mcp.request"]
    assert "\n" not in record.getMessage()
    assert "\r" not in record.getMessage()

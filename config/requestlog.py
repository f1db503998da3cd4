"""ASGI middleware that gives every HTTP request an id and writes one log line for it.

It wraps the whole HTTP router, so Django views, the MCP endpoint and static files are all
logged the same way. The query string is never logged: OAuth redirects carry codes in it.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from config.logging import request_id_var

logger = logging.getLogger("m365mcp.request")
# A proxy's X-Request-ID is reused only when it is short and plain, so it can't inject log lines
# (matched whole: a "$" anchor would let a final "\n" through).
INCOMING_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
# The path arrives percent-decoded ("/mcp%0A..."): control characters are re-encoded so a
# request cannot write a line of its own into the text log (CWE-117).
CONTROL = re.compile(r"[\x00-\x1f\x7f]")

Scope = dict[str, Any]


class RequestLogMiddleware:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_id(scope) or uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 0

        async def send_with_id(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            path = CONTROL.sub(lambda found: f"%{ord(found.group()):02X}", scope["path"])
            logger.info(
                "%s %s %s %sms",
                scope["method"],
                path,
                status or "-",
                duration_ms,
                extra={
                    "fields": {
                        "method": scope["method"],
                        "path": path,
                        "status": status,
                        "duration_ms": duration_ms,
                    }
                },
            )
            request_id_var.reset(token)


def _incoming_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            candidate = value.decode("latin-1")
            return candidate if INCOMING_ID.fullmatch(candidate) else None
    return None

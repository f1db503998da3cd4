"""The ASGI application: Channels routes each protocol, then each path, to its app.

http       /mcp              -> MCP Streamable HTTP, both eras (mcp_gateway)
           /sse, /messages/  -> the deprecated HTTP+SSE transport (mcp_gateway)
           /static/...       -> static files, served by the process itself
           anything else     -> Django (OAuth server, consent, admin, probes)
websocket  /ws               -> MCP over WebSocket, a Channels consumer (mcp_gateway)
lifespan                     -> starts and stops the MCP session manager (uvicorn sends
                                it; under daphne the first MCP request starts it instead)
"""

from __future__ import annotations

import os
import sys

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
try:
    from django.core.asgi import get_asgi_application

    django_app = get_asgi_application()  # sets Django up before anything imports models
except ImproperlyConfigured as exc:
    sys.exit(f"configuration error: {exc}")

from channels.routing import ProtocolTypeRouter, URLRouter
from django.urls import re_path

from config.requestlog import RequestLogMiddleware
from config.static import static_app
from mcp_gateway.server import http_app, runtime, sse_app, ws_app

application = ProtocolTypeRouter(
    {
        "http": RequestLogMiddleware(
            URLRouter(
                [
                    re_path(r"^mcp/?$", runtime.wrap(http_app)),
                    re_path(r"^(sse|messages/)$", sse_app),  # type: ignore[arg-type]
                    re_path(r"^static/", static_app()),
                    re_path(r"", django_app),  # type: ignore[arg-type]
                ]
            )
        ),
        "websocket": URLRouter([re_path(r"^ws/?$", ws_app)]),
        "lifespan": runtime.lifespan,
    }
)

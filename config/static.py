"""Static files (the admin's CSS and JS) served by the process itself, so the default setup
needs no web server in front. Starlette is already installed with the MCP SDK."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from starlette.staticfiles import StaticFiles


def static_app() -> Any:
    files = StaticFiles(directory=settings.STATIC_ROOT, check_dir=False)

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await files({**scope, "root_path": settings.STATIC_URL.rstrip("/")}, receive, send)

    return app

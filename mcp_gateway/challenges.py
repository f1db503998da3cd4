"""HTTP refusals in front of the MCP endpoint, with the challenges clients act on.

401 and 403 carry RFC 6750 §3 ``WWW-Authenticate: Bearer`` challenges with the RFC 9728 §5.1
``resource_metadata`` URL, so a client can discover the authorization server and (re)authorize
with the ``scope`` named (MCP authorization, "Scope Selection Strategy" and "Runtime
Insufficient Scope Errors").
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from starlette.responses import Response

from oauth_bridge.scopes import DEFAULT_SCOPES


def resource_metadata_url() -> str:
    # RFC 9728 §3.1: the well-known URI with the resource's path (/mcp) appended.
    return f"{settings.DEPLOYMENT.public_url}/.well-known/oauth-protected-resource/mcp"


def unauthorized(*, token_sent: bool) -> Response:
    """401: no token, or one that is not valid here (unknown, expired, revoked, wrong resource)."""
    params = {"resource_metadata": resource_metadata_url(), "scope": " ".join(DEFAULT_SCOPES)}
    body: dict[str, str] = {"error": "unauthorized", "error_description": "Sign in is required."}
    if token_sent:
        # RFC 6750 §3.1: the error code only when the request carried a token.
        description = "The access token is invalid, expired, revoked or not for this server."
        params = {"error": "invalid_token", "error_description": description, **params}
        body = {"error": "invalid_token", "error_description": description}
    return _json(401, body, {"WWW-Authenticate": _bearer(params)})


def insufficient_scope(*, granted: Iterable[str], required: str, tool: str) -> Response:
    """403 step-up: name every scope the call needs, the granted ones included, in one go."""
    needed = sorted({*granted, required})
    description = f"The tool {tool} needs the {required} scope."
    challenge = _bearer(
        {
            "error": "insufficient_scope",
            "scope": " ".join(needed),
            "resource_metadata": resource_metadata_url(),
            "error_description": description,
        }
    )
    body = {"error": "insufficient_scope", "error_description": description, "scope": needed}
    return _json(403, body, {"WWW-Authenticate": challenge})


def rate_limited(*, request_id: Any, retry_after: int) -> Response:
    """429 (RFC 6585 §4) with Retry-After, and a JSON-RPC error for the refused request."""
    body = rate_limited_error(request_id=request_id, retry_after=retry_after)
    return _json(429, body, {"Retry-After": str(retry_after)})


def too_many_sessions(*, retry_after: int) -> Response:
    """429 for a person opening sessions faster than MCP_SESSIONS_PER_MINUTE allows."""
    error = {
        "code": -32000,
        "message": f"Too many new sessions; try again in {retry_after} seconds.",
        "data": {"retryAfter": retry_after},
    }
    body = {"jsonrpc": "2.0", "id": None, "error": error}
    return _json(429, body, {"Retry-After": str(retry_after)})


def rate_limited_error(*, request_id: Any, retry_after: int) -> dict[str, Any]:
    error = {
        "code": -32000,
        "message": f"Too many tool calls; try again in {retry_after} seconds.",
        "data": {"retryAfter": retry_after},
    }
    return {"jsonrpc": "2.0", "id": request_id, "error": error}


def _bearer(params: dict[str, str]) -> str:
    # Values are our own constants and scope names: no quote or backslash to escape.
    return "Bearer " + ", ".join(f'{key}="{value}"' for key, value in params.items())


def _json(status: int, body: dict[str, Any], headers: dict[str, str]) -> Response:
    return Response(
        json.dumps(body, separators=(",", ":")),
        status_code=status,
        media_type="application/json",
        headers={"Cache-Control": "no-store", **headers},
    )

"""Dynamic client registration (RFC 7591), open to anonymous MCP clients.

DOT does the registration; this wrapper adds what open registration needs in front of it:
a per-address rate limit, the loopback-only rule for http redirect URIs, only the grant and
response types this server supports, and the client's ``application_type`` (MCP 2026-07-28:
DCR clients send it). Updates through client management (RFC 7592 §2.2) meet the same rules.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from oauth2_provider.models import Application
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.views import (
    DynamicClientRegistrationManagementView,
    DynamicClientRegistrationView,
)

from oauth_bridge.ratelimit import rate_limit_hit
from oauth_bridge.redirects import application_type_for, redirect_uri_problem
from oauth_bridge.services import client_profile_create
from oauth_bridge.settings import bridge_settings

MAX_BODY_BYTES = 16 * 1024
register_with_dot = DynamicClientRegistrationView.as_view()
manage_with_dot = DynamicClientRegistrationManagementView.as_view()


@csrf_exempt
@require_POST
def register(request: HttpRequest) -> HttpResponse:
    retry_after = rate_limit_hit(
        key=f"dcr:{request.META.get('REMOTE_ADDR', '')}",
        limit=bridge_settings.REGISTRATIONS_PER_HOUR,
        window_seconds=3600,
    )
    if retry_after:
        limited = registration_error(
            "rate_limited", "Too many registrations from this address; try later.", status=429
        )
        limited["Retry-After"] = str(retry_after)
        return limited
    if len(request.body) > MAX_BODY_BYTES:
        return registration_error(
            "invalid_client_metadata", "The registration request is too large.", status=413
        )
    metadata, problem = parse_metadata(request.body)
    if problem:
        return registration_error(*problem)
    response: HttpResponse = register_with_dot(request)
    if response.status_code == 201:
        client_id = json.loads(response.content)["client_id"]
        client_profile_create(
            application=Application.objects.get(client_id=client_id),
            application_type=application_type(metadata),
        )
    return response


@csrf_exempt
def register_manage(request: HttpRequest, client_id: str) -> HttpResponse:
    """RFC 7592 client management: a PUT replaces the metadata, so it is checked as a new
    registration would be (DOT alone would accept any grant type and http redirect URI)."""
    if request.method == "PUT":
        if len(request.body) > MAX_BODY_BYTES:
            return registration_error(
                "invalid_client_metadata", "The registration request is too large.", status=413
            )
        _metadata, problem = parse_metadata(request.body)
        if problem:
            return registration_error(*problem)
    response: HttpResponse = manage_with_dot(request, client_id=client_id)
    return response


Problem = tuple[str, str]  # (RFC 7591 §3.2.2 error code, description)


def parse_metadata(body: bytes) -> tuple[dict[str, Any], Problem | None]:
    try:
        metadata = json.loads(body)
    except ValueError:
        metadata = None
    if not isinstance(metadata, dict):
        return {}, ("invalid_client_metadata", "The request body must be a JSON object.")
    uris = metadata.get("redirect_uris")
    if not isinstance(uris, list) or not uris or not all(isinstance(u, str) for u in uris):
        return metadata, ("invalid_redirect_uri", "redirect_uris must be a non-empty array.")
    for uri in uris:
        problem = redirect_uri_problem(uri)
        if problem:
            return metadata, ("invalid_redirect_uri", f"redirect_uri {uri[:200]!r} {problem}.")
    unsupported = flow_problem(metadata)
    if unsupported:
        return metadata, unsupported
    if metadata.get("application_type", "") not in ("", "native", "web"):
        return metadata, ("invalid_client_metadata", "application_type must be native or web.")
    return metadata, None


def flow_problem(metadata: dict[str, Any]) -> Problem | None:
    """RFC 7591 §2: grant and response types must be ones this server supports (RFC 8414
    metadata); any other (client_credentials above all) would get tokens no person approved."""
    grant_types = metadata.get("grant_types", ["authorization_code"])
    supported = oauth2_settings.OAUTH2_GRANT_TYPES_SUPPORTED
    if not isinstance(grant_types, list) or not set(map(str, grant_types)) <= set(supported):
        return "invalid_client_metadata", f"grant_types may only contain {', '.join(supported)}."
    response_types = metadata.get("response_types", ["code"])
    if response_types != ["code"]:
        return "invalid_client_metadata", 'response_types may only be ["code"].'
    return None


def application_type(metadata: dict[str, Any]) -> str:
    if metadata.get("application_type"):
        return str(metadata["application_type"])
    return application_type_for(metadata["redirect_uris"])


def registration_error(error: str, description: str, *, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": error, "error_description": description}, status=status)

"""Reads: bearer tokens to callers, tool-call audit records."""

from __future__ import annotations

import re

from django.conf import settings
from django.db.models import QuerySet
from oauth2_provider.settings import oauth2_settings
from oauthlib.common import Request

from mcp_gateway.caller import Caller
from mcp_gateway.models import ToolCall

# RFC 6750 §2.1 b64token; the bound keeps a hostile header from costing a hash of megabytes.
BEARER_TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]{1,512}=*")


def caller_get(*, token: str) -> Caller | None:
    """The caller a bearer token stands for, or None when it is not valid here.

    Validation is DOT's (the configured validator: existence by checksum, expiry, revoked
    tokens are deleted rows) plus RFC 8707 audience: the token's ``resource`` must be exactly
    this server's MCP resource; a token without one, or for any other resource, is refused.
    """
    if not BEARER_TOKEN.fullmatch(token):
        return None
    resource = settings.DEPLOYMENT.mcp_resource_url
    request = Request(resource)
    if not oauth2_settings.OAUTH2_VALIDATOR_CLASS().validate_bearer_token(token, [], request):
        return None
    access_token = request.access_token
    user, application = access_token.user, access_token.application
    if access_token.resource != [resource] or user is None or application is None:
        return None
    if not user.is_active:
        return None
    return Caller(
        person=user,
        person_id=user.pk,
        person_name=user.get_full_name() or user.get_username(),
        username=user.get_username(),
        client_pk=application.pk,
        client_id=application.client_id,
        client_name=application.name or application.client_id,
        scopes=frozenset(access_token.scope.split()),
        token_pk=access_token.pk,
        expires=access_token.expires,
    )


def tool_calls_list(*, person_id: int) -> QuerySet[ToolCall]:
    return ToolCall.objects.filter(person_id=person_id).order_by("-created_at")

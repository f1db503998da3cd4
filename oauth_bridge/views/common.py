"""Helpers shared by the browser-facing views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

# The consent and account pages load nothing from elsewhere and may never be framed
# (MCP security best practices: consent pages MUST prevent clickjacking).
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def protected_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """No caching, no framing, no third-party content."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response["X-Frame-Options"] = "DENY"
        return response

    return wrapper


class PersonRequest(HttpRequest):
    """A request from a signed-in person (behind ``login_required``)."""

    user: User


def signed_in_person(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) and request.user.is_active else None


def error_page(
    request: HttpRequest,
    *,
    title: str,
    message: str,
    status: int = 400,
    return_url: str = "",
    client_name: str = "",
    reference: str = "",
) -> HttpResponse:
    return render(
        request,
        "oauth_bridge/error.html",
        {
            "title": title,
            "message": message,
            "return_url": return_url,
            "client_name": client_name,
            "reference": reference,
        },
        status=status,
    )


def with_iss(url: str) -> str:
    """Add the RFC 9207 ``iss`` parameter to an authorization response redirect."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "iss"]
    query.append(("iss", settings.PUBLIC_URL))
    return urlunsplit(parts._replace(query=urlencode(query)))


def oauth_error_url(*, redirect_uri: str, state: str | None, error: str, description: str) -> str:
    """An error authorization response (RFC 6749 §4.1.2.1), with ``iss`` (RFC 9207 §2)."""
    params = {"error": error, "error_description": description}
    if state:
        params["state"] = state
    separator = "&" if "?" in redirect_uri else "?"
    return with_iss(f"{redirect_uri}{separator}{urlencode(params)}")

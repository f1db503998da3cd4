"""Which redirect URIs a client may use, on top of DOT's exact matching.

https anywhere; http only to a loopback address, for native apps (RFC 8252 §7.3, §8.3).
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from config.env import is_loopback_host


def redirect_uri_problem(uri: str) -> str | None:
    """Why ``uri`` is not acceptable as a redirect URI, or None when it is."""
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        return "is not a valid URL"
    if "#" in uri:
        return "must not have a fragment (RFC 6749 §3.1.2)"
    if parts.username or parts.password:
        return "must not carry credentials"
    if not parts.hostname:
        return "must have a host"
    if parts.scheme == "https":
        return None
    if parts.scheme == "http" and is_loopback_host(parts.hostname):
        return None
    return "must use https, or http on a loopback address (127.0.0.1, [::1], localhost)"


def is_native_redirect(uri: str) -> bool:
    return urlsplit(uri).scheme == "http"


def application_type_for(uris: Iterable[str]) -> str:
    """``native`` when every redirect URI is an http loopback one (RFC 8252 §7.3), else ``web``."""
    return "native" if all(is_native_redirect(uri) for uri in uris) else "web"

"""Scopes as Entra reads them: OpenID Connect scopes plus delegated Microsoft Graph permissions.

A Graph permission may be spelled short (``Mail.Read``) or with its resource
(``https://graph.microsoft.com/Mail.Read``), in any case (wire shapes §1.3 uses
``mail.read``). The fake knows Graph only; another resource is an invalid scope.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from tests.fakes import aadsts

GRAPH_RESOURCE = "https://graph.microsoft.com"
GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"  # Graph's appId: `aud` of its tokens
OIDC_SCOPES = ("openid", "profile", "email", "offline_access")
MAX_SCOPE_LENGTH = 4096
MAX_SCOPES = 100

# Delegated permissions of the APIs in wire shapes §2A (PERM), plus their common alternatives.
GRAPH_PERMISSIONS = frozenset(
    {
        "User.Read",
        "User.ReadWrite",
        "User.ReadBasic.All",
        "User.Read.All",
        "Directory.Read.All",
        "Mail.ReadBasic",
        "Mail.Read",
        "Mail.ReadWrite",
        "Mail.Send",
        "MailboxSettings.Read",
        "MailboxSettings.ReadWrite",
        "Calendars.ReadBasic",
        "Calendars.Read",
        "Calendars.ReadWrite",
        "Calendars.Read.Shared",
        "Calendars.ReadWrite.Shared",
        "Contacts.Read",
        "Contacts.ReadWrite",
        "People.Read",
        "People.Read.All",
        "Presence.Read",
        "Presence.Read.All",
        "ProfilePhoto.Read.All",
        "Team.ReadBasic.All",
        "TeamSettings.Read.All",
        "Channel.ReadBasic.All",
        "ChannelMessage.Read.All",
        "ChannelMessage.Send",
        "Chat.ReadBasic",
        "Chat.Read",
        "Chat.ReadWrite",
        "Chat.Create",
        "ChatMessage.Send",
        "OnlineMeetings.Read",
        "OnlineMeetings.ReadWrite",
        "Group.Read.All",
        "Group.ReadWrite.All",
        "Files.Read",
        "Files.ReadWrite",
    }
)
_CANONICAL = {name.lower(): name for name in GRAPH_PERMISSIONS}
_GRAPH_PREFIXES = (f"{GRAPH_RESOURCE}/", f"{GRAPH_APP_ID}/")

ScopeStyle = Literal["uri", "short"]


@dataclass(frozen=True)
class ScopeRequest:
    oidc: frozenset[str]
    permissions: frozenset[str]  # canonical Graph permission names


def scope_parse(raw: str) -> ScopeRequest:
    """Split a space-separated scope (RFC 6749 §3.3); raise ``EntraError`` if one is unknown."""
    items = raw.split()
    if len(raw) > MAX_SCOPE_LENGTH or len(items) > MAX_SCOPES:
        raise aadsts.malformed_request()
    oidc: set[str] = set()
    permissions: set[str] = set()
    for item in items:
        if item.lower() in OIDC_SCOPES:
            oidc.add(item.lower())
        elif (permission := _graph_permission(item)) != ".default":
            permissions.add(permission)
    return ScopeRequest(oidc=frozenset(oidc), permissions=frozenset(permissions))


def _graph_permission(item: str) -> str:
    name = item
    for prefix in _GRAPH_PREFIXES:
        if item.lower().startswith(prefix):
            name = item[len(prefix) :]
    # `.default` asks for what is already consented: it adds nothing to the request.
    if name.lower() == ".default" and name != item:
        return ".default"
    canonical = _CANONICAL.get(name.lower())
    if canonical is None or ("/" in item and name == item):
        raise aadsts.invalid_scope(item)
    return canonical


def scope_text(*, oidc: Iterable[str], permissions: Iterable[str], style: ScopeStyle) -> str:
    """The ``scope`` of a token response: OIDC scopes (never offline_access), then Graph's.

    Real responses use both spellings (wire shapes §1.5): full URIs in one capture, short names
    in another; ``style`` picks one so clients can be tested against each.
    """
    shown_oidc = sorted(scope for scope in oidc if scope != "offline_access")
    prefix = f"{GRAPH_RESOURCE}/" if style == "uri" else ""
    return " ".join([*shown_oidc, *(f"{prefix}{name}" for name in sorted(permissions))])


def scp_claim(*, oidc: Iterable[str], permissions: Iterable[str]) -> str:
    """The ``scp`` of a Graph access token: short names, as in the real capture (§1.7)."""
    return scope_text(oidc=oidc, permissions=permissions, style="short")

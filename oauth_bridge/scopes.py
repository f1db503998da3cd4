"""Our OAuth scopes, one per capability, and the least Microsoft Graph permissions each needs.

This table is the single source: the authorization server advertises these scopes, the
consent page describes them, Entra sign-in asks only for the Graph permissions of the scopes
being granted (incremental consent), and every tool names the one scope it needs.
Least-privilege choices follow Microsoft Graph's permissions reference for each API.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Always requested at Entra: sign-in (OIDC), a refresh token, and the person's own profile.
# Entra never lists the OpenID Connect scopes among the granted Graph permissions.
OIDC_SCOPES = ("openid", "profile", "offline_access")
BASE_GRAPH_PERMISSIONS = (*OIDC_SCOPES, "User.Read")


@dataclass(frozen=True)
class Scope:
    name: str
    description: str  # plain words for the consent page
    graph_permissions: tuple[str, ...]


SCOPES: tuple[Scope, ...] = (
    Scope("mail.read", "Read your mail and attachments", ("Mail.Read", "MailboxSettings.Read")),
    Scope(
        "mail.write",
        "Organise your mail: drafts, moving, flagging and deleting messages",
        ("Mail.ReadWrite",),
    ),
    Scope("mail.send", "Send, reply to and forward mail as you", ("Mail.Send",)),
    Scope(
        "calendar.read",
        "Read your calendars and see when colleagues are free",
        ("Calendars.Read", "Calendars.Read.Shared", "MailboxSettings.Read"),
    ),
    Scope(
        "calendar.write",
        "Create, change, cancel and answer events in your calendar",
        ("Calendars.ReadWrite", "MailboxSettings.Read"),
    ),
    Scope("contacts.read", "Read your contacts", ("Contacts.Read",)),
    Scope("contacts.write", "Create and change your contacts", ("Contacts.ReadWrite",)),
    Scope(
        "people.read",
        "Look up colleagues and the people you work with",
        ("People.Read", "User.ReadBasic.All"),
    ),
    Scope(
        "teams.read",
        "Read your teams, channels, chats and their messages",
        ("Team.ReadBasic.All", "Channel.ReadBasic.All", "ChannelMessage.Read.All", "Chat.Read"),
    ),
    Scope(
        "teams.write",
        "Post messages in your channels and chats as you",
        ("ChannelMessage.Send", "ChatMessage.Send"),
    ),
    Scope(
        "meetings.write",
        "Create Teams meetings as you",
        ("OnlineMeetings.ReadWrite", "Calendars.ReadWrite", "User.ReadBasic.All"),
    ),
)

SCOPES_BY_NAME = {scope.name: scope for scope in SCOPES}
# What a client gets when it asks for no scope, and what a 401 challenge names (MCP
# authorization, "Scope Selection Strategy"): reading is basic; writing is stepped up to.
DEFAULT_SCOPES = ("mail.read", "calendar.read", "contacts.read", "people.read")
SCOPE_NAMES = tuple(scope.name for scope in SCOPES)


def graph_permissions_for(scope_names: Iterable[str]) -> list[str]:
    """The Entra scopes to request for our scopes: the base set plus each scope's permissions."""
    permissions = dict.fromkeys(BASE_GRAPH_PERMISSIONS)
    for name in scope_names:
        permissions.update(dict.fromkeys(SCOPES_BY_NAME[name].graph_permissions))
    return list(permissions)

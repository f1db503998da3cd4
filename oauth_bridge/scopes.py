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
    # Replies and drafts are checked against M365_SEND_ALLOWED_DOMAINS before sending, which
    # reads their recipients: Mail.ReadBasic gives those without any message body.
    Scope("mail.send", "Send, reply to and forward mail as you", ("Mail.Send", "Mail.ReadBasic")),
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
        # MailboxSettings.Read: message times in the person's own time zone.
        (
            "Team.ReadBasic.All",
            "Channel.ReadBasic.All",
            "ChannelMessage.Read.All",
            "Chat.Read",
            "MailboxSettings.Read",
        ),
    ),
    Scope(
        "teams.write",
        "Post messages in your channels and chats as you",
        # @mentions name people by directory id, looked up with User.ReadBasic.All.
        ("ChannelMessage.Send", "ChatMessage.Send", "User.ReadBasic.All"),
    ),
    Scope(
        "meetings.write",
        "Create Teams meetings as you",
        # A Teams meeting is created as a calendar event with a Teams link (invitations and the
        # attendees' calendars included), in the mailbox's time zone; attendees are looked up.
        ("Calendars.ReadWrite", "MailboxSettings.Read", "User.ReadBasic.All"),
    ),
)

SCOPES_BY_NAME = {scope.name: scope for scope in SCOPES}
# What a client gets when it asks for no scope, and what a 401 challenge names (MCP
# authorization, "Scope Selection Strategy"): reading is basic; writing is stepped up to.
DEFAULT_SCOPES = ("mail.read", "calendar.read", "contacts.read", "people.read")
SCOPE_NAMES = tuple(scope.name for scope in SCOPES)


# Graph permissions that include narrower ones (Microsoft Graph permissions reference): a person
# who granted the broader one is not sent to Entra again for the narrower.
BROADER_PERMISSIONS = {
    "mail.readbasic": ("mail.read", "mail.readwrite"),
    "mail.read": ("mail.readwrite",),
    "calendars.read": ("calendars.readwrite",),
    "contacts.read": ("contacts.readwrite",),
    "mailboxsettings.read": ("mailboxsettings.readwrite",),
    "user.readbasic.all": ("user.read.all",),
}


def permission_granted(permission: str, granted: set[str]) -> bool:
    """Whether ``permission`` is among ``granted`` (lower-cased names) or implied by one."""
    name = permission.lower()
    return name in granted or any(b in granted for b in BROADER_PERMISSIONS.get(name, ()))


def graph_permissions_for(scope_names: Iterable[str]) -> list[str]:
    """The Entra scopes to request for our scopes: the base set plus each scope's permissions."""
    permissions = dict.fromkeys(BASE_GRAPH_PERMISSIONS)
    for name in scope_names:
        permissions.update(dict.fromkeys(SCOPES_BY_NAME[name].graph_permissions))
    return list(permissions)

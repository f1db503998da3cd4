"""Graph users: GET /me (wire shapes §2A, G-API:user-get) and the mailbox settings."""

from __future__ import annotations

from tests.fakes.graph import GraphCall, GraphReply, graph_route, selected
from tests.fakes.graph_items import unknown_property
from tests.fakes.people import ALICE

# GET /me: User.Read least, or any of these (PERM; "Permission summary").
ME_PERMISSIONS = (
    "User.Read",
    "User.ReadWrite",
    "User.ReadBasic.All",
    "User.Read.All",
    "Directory.Read.All",
)
# A user's properties returned without $select; anything else needs $select.
USER_DEFAULT_PROPERTIES = (
    "businessPhones",
    "displayName",
    "givenName",
    "jobTitle",
    "mail",
    "mobilePhone",
    "officeLocation",
    "preferredLanguage",
    "surname",
    "userPrincipalName",
    "id",
)
# Every user has the properties a cast member's graph_user() lists (people.py).
USER_PROPERTIES = {key.lower(): key for key in ALICE.graph_user()}


def me_get(call: GraphCall) -> GraphReply:
    user = call.person.graph_user()
    names = selected(call)
    if names is None:
        properties, context = list(USER_DEFAULT_PROPERTIES), "users/$entity"
    else:
        properties = [user_property(name) for name in names]
        context = f"users({','.join(properties)})/$entity"
    body = {"@odata.context": f"{call.base_url}/$metadata#{context}"}
    body.update({name: user[name] for name in properties})
    return GraphReply(200, body)


def user_property(name: str) -> str:
    """A property $select names, as the user type spells it (any case)."""
    canonical = USER_PROPERTIES.get(name.lower())
    if canonical is None:
        raise unknown_property(name, "Microsoft.DirectoryServices.User", "Request_BadRequest")
    return canonical


# Each person's mailbox time zone (Windows names, as mailboxSettings returns them).
MAILBOX_TIME_ZONES = {
    "alice": "Pacific Standard Time",
    "bob": "W. Europe Standard Time",
    "outsider": "UTC",
}
MAILBOX_SETTINGS_PERMISSIONS = ("MailboxSettings.Read", "MailboxSettings.ReadWrite")


def mailbox_time_zone_get(call: GraphCall) -> GraphReply:
    zone = MAILBOX_TIME_ZONES[call.person.key]
    context = f"{call.base_url}/$metadata#users('{call.person.oid}')/mailboxSettings/timeZone"
    return GraphReply(200, {"@odata.context": context, "value": zone})


ROUTES = (
    graph_route("GET", "/me", any_of=ME_PERMISSIONS, family="directory", handler=me_get),
    graph_route(
        "GET",
        "/me/mailboxSettings/timeZone",
        any_of=MAILBOX_SETTINGS_PERMISSIONS,
        family="outlook",
        handler=mailbox_time_zone_get,
    ),
)

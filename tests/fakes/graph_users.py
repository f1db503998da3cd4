"""Graph users: GET /me (wire shapes §2A, G-API:user-get) and the mailbox settings."""

from __future__ import annotations

from tests.fakes.graph import GraphCall, GraphError, GraphReply, graph_route, selected

# GET /me: User.Read least, or any of these (PERM; "Permission summary").
ME_PERMISSIONS = (
    "User.Read",
    "User.ReadWrite",
    "User.ReadBasic.All",
    "User.Read.All",
    "Directory.Read.All",
)
# Returned without $select; anything else needs $select.
ME_DEFAULT_PROPERTIES = (
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


def me_get(call: GraphCall) -> GraphReply:
    user = call.person.graph_user()
    names = selected(call)
    if names is None:
        properties, context = list(ME_DEFAULT_PROPERTIES), "users/$entity"
    else:
        properties = [_user_property(name, user) for name in names]
        context = f"users({','.join(properties)})/$entity"
    body = {"@odata.context": f"{call.base_url}/$metadata#{context}"}
    body.update({name: user[name] for name in properties})
    return GraphReply(200, body)


def _user_property(name: str, user: dict[str, object]) -> str:
    canonical = {key.lower(): key for key in user}.get(name.lower())
    if canonical is None:
        raise GraphError(
            400,
            "Request_BadRequest",
            f"Could not find a property named '{name[:100]}' on type "
            "'Microsoft.DirectoryServices.User'.",
        )
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

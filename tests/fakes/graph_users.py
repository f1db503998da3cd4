"""Graph users: GET /me (wire shapes §2A, G-API:user-get)."""

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


ROUTES = (graph_route("GET", "/me", any_of=ME_PERMISSIONS, family="directory", handler=me_get),)

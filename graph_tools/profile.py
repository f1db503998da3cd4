"""The ``microsoft://profile`` resource: the signed-in person's own Microsoft profile."""

from __future__ import annotations

import json

from graph_tools.client import GraphClient
from graph_tools.tooling import Resource

PROFILE_FIELDS = (
    "id",
    "displayName",
    "givenName",
    "surname",
    "mail",
    "userPrincipalName",
    "jobTitle",
    "department",
    "officeLocation",
    "businessPhones",
    "mobilePhone",
    "preferredLanguage",
)


def profile_read(graph: GraphClient, params: dict[str, str]) -> str:
    body = graph.get("/me", params={"$select": ",".join(PROFILE_FIELDS)})
    profile = {name: body.get(name) for name in PROFILE_FIELDS} if isinstance(body, dict) else {}
    return json.dumps(profile, ensure_ascii=False)


RESOURCES = (
    Resource(
        uri="microsoft://profile",
        name="profile",
        description="The signed-in person's Microsoft 365 profile (name, mail, job, office).",
        mime_type="application/json",
        scope=None,
        toolset=None,
        read=profile_read,
    ),
)

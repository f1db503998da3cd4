"""What the mail tools sent to Graph, in a form tests can compare whole."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import responses

from graph_tools.services import connection_store
from tests.graph_tools.conftest import graph_json


@dataclass(frozen=True)
class Sent:
    method: str
    url: str  # without the query
    query: dict[str, str]  # decoded
    headers: Any
    json: Any


def sent(mock: responses.RequestsMock, index: int = -1) -> Sent:
    request = mock.calls[index].request
    parts = urlsplit(str(request.url))
    return Sent(
        method=str(request.method),
        url=f"{parts.scheme}://{parts.netloc}{parts.path}",
        query=dict(parse_qsl(parts.query)),
        headers=request.headers,
        json=graph_json(mock, index) if request.body and _is_json(request) else None,
    )


def _is_json(request: Any) -> bool:
    return "json" in str(request.headers.get("Content-Type", ""))


def text(result: Any) -> str:
    return str(result.content[0].text)


def connect_at(fake: Any, user: Any, person: Any, permissions: list[str]) -> None:
    """Sign ``user`` in as the fake's ``person`` (tokens issued without the browser)."""
    connection_store(
        user=user,
        tenant_id=person.tenant.id,
        object_id=person.oid,
        username=person.username,
        display_name=person.given_name,
        token_response=fake.issue_tokens(person, permissions),
        granted_permissions=["openid", "profile", "offline_access", "User.Read", *permissions],
    )

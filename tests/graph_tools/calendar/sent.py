"""What the calendar tools sent to Graph, read back from the `responses` mock."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import responses

from tests.graph_tools.scenarios import GRAPH


@dataclass(frozen=True)
class Sent:
    method: str
    path: str  # under the Graph base, still percent-encoded
    query: dict[str, str]
    prefer: str | None
    body: Any


def sent(mock: responses.RequestsMock, index: int = -1) -> Sent:
    request = mock.calls[index].request
    url = urlsplit(str(request.url))
    body = request.body
    return Sent(
        method=str(request.method),
        path=url.path.removeprefix(urlsplit(GRAPH).path),
        query=dict(parse_qsl(url.query, keep_blank_values=True)),
        prefer=request.headers.get("Prefer"),
        body=json.loads(body) if body else None,
    )


def zone_header(zone: str) -> str:
    return f'outlook.timezone="{zone}"'

"""What the contacts tools sent to Graph, in a form tests can compare whole."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import responses

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
        json=graph_json(mock, index),
    )

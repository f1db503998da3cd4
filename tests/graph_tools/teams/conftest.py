"""Helpers of the teams tests: what Graph was sent."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import responses


@dataclass(frozen=True)
class Sent:
    method: str
    url: str  # without the query
    query: dict[str, str]
    headers: Any
    body: Any


@pytest.fixture
def sent(graph: responses.RequestsMock):
    """``sent()`` lists the Graph requests the mock saw, query parsed, JSON body decoded."""

    def requests() -> list[Sent]:
        found = []
        for call in graph.calls:
            parts = urlsplit(str(call.request.url))
            body = call.request.body
            found.append(
                Sent(
                    str(call.request.method),
                    f"{parts.scheme}://{parts.netloc}{parts.path}",
                    dict(parse_qsl(parts.query)),
                    call.request.headers,
                    json.loads(body) if body else None,
                )
            )
        return found

    return requests

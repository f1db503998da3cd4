"""Fan-out reads in one round trip: Graph JSON batching (wire shapes §3.3).

At most 20 requests per batch (more are split into several); inner requests are throttled on
their own, and SDKs do not retry inner 429s, so those are sent again once, after the longest
``Retry-After`` among them (capped like every other wait). Each answer is the inner body or
the ``GraphError`` its inner error maps to.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from graph_tools import graph_errors
from graph_tools.client import MAX_RETRY_AFTER_SECONDS, GraphClient
from graph_tools.errors import GraphError, GraphThrottled

MAX_BATCH_REQUESTS = 20


def batch_get(
    graph: GraphClient, paths: Mapping[str, str], *, headers: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """GET each path (relative to the Graph base, e.g. ``/teams/{id}/channels``) by its key."""
    answers: dict[str, Any] = {}
    keys = list(paths)
    for start in range(0, len(keys), MAX_BATCH_REQUESTS):
        chunk = {key: paths[key] for key in keys[start : start + MAX_BATCH_REQUESTS]}
        answers.update(_batch(graph, chunk, headers or {}, retry=True))
    return answers


def _batch(
    graph: GraphClient, paths: Mapping[str, str], headers: Mapping[str, str], *, retry: bool
) -> dict[str, Any]:
    ids = {str(index): key for index, key in enumerate(paths, start=1)}
    requests = [
        {"id": index, "method": "GET", "url": paths[key], "headers": dict(headers)}
        for index, key in ids.items()
    ]
    body = graph.post("/$batch", {"requests": requests}, idempotent=True)
    replies = body.get("responses") if isinstance(body, dict) else None
    if not isinstance(replies, list):
        raise graph_errors.malformed()
    answers, throttled, wait = _answers(graph, ids, replies)
    if throttled and retry and wait <= MAX_RETRY_AFTER_SECONDS:
        time.sleep(wait)
        answers.update(_batch(graph, {key: paths[key] for key in throttled}, headers, retry=False))
    elif throttled:
        answers.update({key: GraphThrottled(wait) for key in throttled})
    return answers


def _answers(
    graph: GraphClient, ids: Mapping[str, str], replies: list[Any]
) -> tuple[dict[str, Any], list[str], float]:
    answers: dict[str, Any] = {}
    throttled: list[str] = []
    wait = 0.0
    for reply in replies:
        key = ids.get(str(reply.get("id"))) if isinstance(reply, dict) else None
        if key is None:
            raise graph_errors.malformed()
        status = reply.get("status")
        if status == 429:
            throttled.append(key)
            wait = max(wait, _retry_after(reply.get("headers")))
        elif isinstance(status, int) and status < 400:
            answers[key] = reply.get("body")
        else:
            answers[key] = _inner_error(graph, status, reply.get("body"))
    missing = [key for key in ids.values() if key not in answers and key not in throttled]
    if missing:
        raise graph_errors.malformed()
    return answers, throttled, wait


def _inner_error(graph: GraphClient, status: Any, body: Any) -> GraphError:
    if not isinstance(status, int):
        return graph_errors.malformed()
    return graph_errors.from_response(status, body, scope=graph.scope)


def _retry_after(headers: Any) -> float:
    if not isinstance(headers, dict):
        return 1.0
    value = next((v for k, v in headers.items() if str(k).lower() == "retry-after"), "1")
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        return 1.0

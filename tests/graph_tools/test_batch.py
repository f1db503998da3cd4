"""Fan-out reads through $batch: splitting, inner errors, inner throttling (wire shapes §3.3)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from graph_tools.batch import batch_get
from graph_tools.client import GraphClient
from graph_tools.errors import GraphError, GraphThrottled
from tests.graph_tools.scenarios import GRAPH

pytestmark = pytest.mark.django_db
BATCH = f"{GRAPH}/$batch"


def sent(graph, index: int) -> Any:
    return json.loads(graph.calls[index].request.body)["requests"]


def answer(*responses: dict[str, Any]) -> dict[str, Any]:
    return {"responses": list(responses)}


def test_it_asks_for_everything_in_one_round_trip(alice, graph) -> None:
    graph.post(
        BATCH,
        json=answer(
            {"id": "2", "status": 200, "body": {"value": ["b"]}},
            {"id": "1", "status": 200, "body": {"value": ["a"]}},
        ),
    )
    client = GraphClient(user=alice, request_ids=[])
    got = batch_get(client, {"one": "/teams/1/channels", "two": "/teams/2/channels"})
    assert got == {"one": {"value": ["a"]}, "two": {"value": ["b"]}}
    assert sent(graph, 0) == [
        {"id": "1", "method": "GET", "url": "/teams/1/channels", "headers": {}},
        {"id": "2", "method": "GET", "url": "/teams/2/channels", "headers": {}},
    ]


def test_it_splits_more_than_twenty_requests(alice, graph) -> None:
    def reply(request):
        ids = [item["id"] for item in json.loads(request.body)["requests"]]
        return 200, {}, json.dumps(answer(*({"id": i, "status": 200, "body": {}} for i in ids)))

    graph.add_callback("POST", BATCH, callback=reply)
    got = batch_get(GraphClient(user=alice, request_ids=[]), {str(n): f"/x/{n}" for n in range(45)})
    assert len(got) == 45
    assert [len(sent(graph, i)) for i in range(3)] == [20, 20, 5]


def test_it_returns_inner_errors_as_advice(alice, graph) -> None:
    graph.post(
        BATCH,
        json=answer(
            {"id": "1", "status": 404, "body": {"error": {"code": "Request_ResourceNotFound"}}},
            {"id": "2", "status": 403, "body": {"error": {"code": "Forbidden"}}},
        ),
    )
    got = batch_get(
        GraphClient(user=alice, request_ids=[], scope="teams.read"), {"a": "/a", "b": "/b"}
    )
    assert isinstance(got["a"], GraphError)
    assert got["a"].status == 404
    assert isinstance(got["b"], GraphError)
    assert "teams.read" in got["b"].tool_message


def test_it_retries_inner_throttling_once_after_the_longest_wait(alice, graph, no_sleep) -> None:
    graph.post(
        BATCH,
        json=answer(
            {"id": "1", "status": 200, "body": {"ok": 1}},
            {"id": "2", "status": 429, "headers": {"Retry-After": "3"}},
            {"id": "3", "status": 429, "headers": {"retry-after": "1"}},
        ),
    )
    graph.post(
        BATCH,
        json=answer({"id": "1", "status": 200, "body": {"ok": 2}}, {"id": "2", "status": 429}),
    )
    got = batch_get(GraphClient(user=alice, request_ids=[]), {"a": "/a", "b": "/b", "c": "/c"})
    assert no_sleep == [3.0]
    assert got["a"] == {"ok": 1}
    assert got["b"] == {"ok": 2}
    assert isinstance(got["c"], GraphThrottled)
    assert [item["url"] for item in sent(graph, 1)] == ["/b", "/c"]


@pytest.mark.parametrize(
    "body",
    [{"responses": "x"}, {"responses": [{"id": "9", "status": 200}]}, {"responses": []}, []],
)
def test_it_reports_a_batch_reply_it_cannot_read(alice, graph, body) -> None:
    graph.post(BATCH, json=body)
    with pytest.raises(GraphError) as raised:
        batch_get(GraphClient(user=alice, request_ids=[]), {"a": "/a"})
    assert "could not read" in raised.value.tool_message

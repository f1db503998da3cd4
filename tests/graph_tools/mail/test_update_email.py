"""updateEmail: a PATCH with exactly the fields given, retried safely, at least one field."""

from __future__ import annotations

import pytest

from tests.graph_tools.conftest import sent, text
from tests.graph_tools.scenarios.mail import MESSAGE_ID, MESSAGE_URL, UPDATED

pytestmark = pytest.mark.django_db(transaction=True)


async def test_it_patches_read_flag_and_categories(call_tool, graph) -> None:
    graph.patch(MESSAGE_URL, json=UPDATED)
    result = await call_tool(
        "updateEmail",
        {"messageId": MESSAGE_ID, "isRead": True, "flag": "complete", "categories": ["Finance"]},
    )
    request = sent(graph)
    assert (request.method, request.url, request.query) == ("PATCH", MESSAGE_URL, {})
    assert request.body == {
        "isRead": True,
        "flag": {"flagStatus": "complete"},
        "categories": ["Finance"],
    }
    assert result.structured_content == {
        "id": MESSAGE_ID,
        "isRead": True,
        "flag": "complete",
        "categories": ["Finance"],
    }
    assert text(result) == f"Updated {MESSAGE_ID}: read, flag complete, categories: Finance."


async def test_it_sends_only_what_was_given(call_tool, graph) -> None:
    graph.patch(MESSAGE_URL, json={**UPDATED, "isRead": False, "categories": []})
    result = await call_tool("updateEmail", {"messageId": MESSAGE_ID, "categories": []})
    assert sent(graph).body == {"categories": []}
    assert text(result) == f"Updated {MESSAGE_ID}: unread, flag complete, categories: none."


async def test_it_retries_a_503_because_the_patch_is_idempotent(call_tool, graph, no_sleep) -> None:
    graph.patch(MESSAGE_URL, status=503, json={"error": {"code": "serviceNotAvailable"}})
    graph.patch(MESSAGE_URL, json=UPDATED)
    result = await call_tool("updateEmail", {"messageId": MESSAGE_ID, "isRead": False})
    assert not result.is_error
    assert len(no_sleep) == 1


@pytest.mark.parametrize(
    "arguments",
    [
        {"messageId": MESSAGE_ID},
        {"messageId": MESSAGE_ID, "isRead": None},
        {"messageId": MESSAGE_ID, "flag": "red"},
        {"messageId": MESSAGE_ID, "categories": [""]},
        {"messageId": MESSAGE_ID, "categories": ["c"] * 26},
    ],
)
async def test_it_rejects_bad_arguments(call_tool, graph, arguments) -> None:
    result = await call_tool("updateEmail", arguments)
    assert result.is_error
    assert "Invalid arguments for updateEmail" in text(result)
    assert len(graph.calls) == 0

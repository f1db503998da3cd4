"""Every tool against every class of Graph failure, injected into its first Graph request.

The scenarios (tests/graph_tools/scenarios) give each tool's happy path; here each one is
replayed with a 401 (refresh once, retry once), 403, 404, 429 with Retry-After, 503 then
success, and a reply that is not JSON.
"""

from __future__ import annotations

import pytest
import responses

from graph_tools import catalog
from graph_tools.client import IDEMPOTENT_METHODS
from tests.graph_tools.conftest import text
from tests.graph_tools.scenarios import Scenario
from tests.graph_tools.scenarios.calendar import SCENARIOS as CALENDAR
from tests.graph_tools.scenarios.contacts import SCENARIOS as CONTACTS
from tests.graph_tools.scenarios.mail import SCENARIOS as MAIL
from tests.graph_tools.scenarios.teams import SCENARIOS as TEAMS

pytestmark = pytest.mark.django_db(transaction=True)
SCENARIOS = [*MAIL, *CALENDAR, *CONTACTS, *TEAMS]
EVERY_TOOL = pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)


def fail_first(mock: responses.RequestsMock, scenario: Scenario, **reply) -> None:
    """Register a failure for the first request, ahead of the happy path's replies."""
    method, url = scenario.first
    mock.add(method, url, **reply)
    scenario.happy(mock)


def test_it_has_a_scenario_for_every_tool() -> None:
    assert sorted({s.tool for s in SCENARIOS}) == sorted(t.name for t in catalog.ALL_TOOLS)


@EVERY_TOOL
async def test_it_refreshes_once_after_a_401_and_retries(
    scenario, call_tool, graph, entra, mailbox_zone
) -> None:
    fail_first(graph, scenario, status=401, json={"error": {"code": "InvalidAuthenticationToken"}})
    entra.refreshes()
    result = await call_tool(scenario.tool, scenario.arguments, consent="confirmed")
    assert not result.is_error, text(result)
    assert [c.request.url for c in graph.calls].count(entra.url) == 1
    graph_calls = [c for c in graph.calls if c.request.url != entra.url]
    assert graph_calls[0].request.headers["Authorization"] == "Bearer alice-access-1"
    assert graph_calls[1].request.headers["Authorization"] == "Bearer new-access"


@EVERY_TOOL
async def test_it_names_the_scope_when_microsoft_refuses(
    scenario, call_tool, graph, mailbox_zone
) -> None:
    code = {"code": "ErrorAccessDenied", "message": "Access is denied."}
    fail_first(graph, scenario, status=403, json={"error": code})
    result = await call_tool(scenario.tool, scenario.arguments, consent="confirmed")
    scope = next(t.scope for t in catalog.ALL_TOOLS if t.name == scenario.tool)
    assert result.is_error
    assert f"approve the {scope} permission" in text(result)


@EVERY_TOOL
async def test_it_says_what_to_do_when_an_item_is_not_found(
    scenario, call_tool, graph, mailbox_zone
) -> None:
    error = {"code": "ErrorItemNotFound", "message": "The specified object was not found."}
    fail_first(graph, scenario, status=404, json={"error": error})
    result = await call_tool(scenario.tool, scenario.arguments, consent="confirmed")
    assert result.is_error
    assert "could not find that item" in text(result)


@EVERY_TOOL
async def test_it_waits_as_long_as_retry_after_says(
    scenario, call_tool, graph, mailbox_zone, no_sleep
) -> None:
    throttled = {"error": {"code": "TooManyRequests", "message": "Please retry again later."}}
    fail_first(graph, scenario, status=429, json=throttled, headers={"Retry-After": "2.5"})
    result = await call_tool(scenario.tool, scenario.arguments, consent="confirmed")
    assert not result.is_error, text(result)
    assert no_sleep == [2.5]


@EVERY_TOOL
async def test_it_hands_back_a_long_throttle_as_advice(
    scenario, call_tool, graph, mailbox_zone, no_sleep
) -> None:
    throttled = {"error": {"code": "TooManyRequests", "message": "Please retry again later."}}
    fail_first(graph, scenario, status=429, json=throttled, headers={"Retry-After": "120"})
    result = await call_tool(scenario.tool, scenario.arguments, consent="confirmed")
    assert result.is_error
    assert "retry after 120 s" in text(result)
    assert no_sleep == []


@EVERY_TOOL
async def test_it_retries_a_503_only_when_the_request_is_idempotent(
    scenario, call_tool, graph, mailbox_zone, no_sleep
) -> None:
    unavailable = {"error": {"code": "serviceNotAvailable", "message": "Unavailable."}}
    fail_first(graph, scenario, status=503, json=unavailable)
    result = await call_tool(scenario.tool, scenario.arguments, consent="confirmed")
    method, _url = scenario.first
    retried = method in IDEMPOTENT_METHODS or scenario.extra.get("idempotent_post", False)
    if retried:
        assert not result.is_error, text(result)
        assert len(no_sleep) == 1
    else:
        assert result.is_error
        assert "unavailable right now" in text(result)
        assert len(graph.calls) == 1


# A 202/204 success has no body to be malformed (sendMail, reply, …).
@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if s.returns_json], ids=lambda s: s.id)
async def test_it_reports_a_reply_it_cannot_read(scenario, call_tool, graph, mailbox_zone) -> None:
    fail_first(graph, scenario, status=200, body="<html>gateway</html>", content_type="text/html")
    result = await call_tool(scenario.tool, scenario.arguments, consent="confirmed")
    assert result.is_error
    assert "could not read" in text(result)

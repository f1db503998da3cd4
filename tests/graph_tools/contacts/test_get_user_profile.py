"""getUserProfile: the profile and the manager in one exact $batch, for self or a colleague."""

from __future__ import annotations

import pytest

from tests.graph_tools.conftest import sent
from tests.graph_tools.scenarios import GRAPH
from tests.graph_tools.scenarios.contacts import ANNA_ID, MANAGER, ME, batch_reply

pytestmark = pytest.mark.django_db(transaction=True)
BATCH_URL = f"{GRAPH}/$batch"
PROFILE_FIELDS = (
    "id,displayName,mail,userPrincipalName,jobTitle,department,officeLocation,businessPhones,"
    "mobilePhone"
)
MANAGER_FIELDS = "displayName,mail,jobTitle"
ALICE = {
    "id": "335d0471-d65d-4500-aa54-a5999aa9d5c6",
    "displayName": "Alice Archer",
    "mail": "alice@contoso.com",
    "userPrincipalName": "alice@contoso.com",
    "jobTitle": "Product Manager",
    "department": "Product",
    "officeLocation": "18/2111",
    "businessPhones": ["+1 425 555 0100"],
    "mobilePhone": None,
}
DANA = {
    "displayName": "Dana Whitfield",
    "mail": "dana.whitfield@contoso.com",
    "jobTitle": "VP Product",
}
ANNA: dict[str, object] = {
    "id": ANNA_ID,
    "displayName": "Anna Lindqvist",
    "mail": "anna.lindqvist@contoso.com",
    "userPrincipalName": "anna.lindqvist@contoso.com",
    "jobTitle": None,
    "department": None,
    "officeLocation": None,
    "businessPhones": [],
    "mobilePhone": None,
}


def batch_body(base: str) -> dict[str, object]:
    return {
        "requests": [
            {"id": "1", "method": "GET", "url": f"{base}?$select={PROFILE_FIELDS}", "headers": {}},
            {
                "id": "2",
                "method": "GET",
                "url": f"{base}/manager?$select={MANAGER_FIELDS}",
                "headers": {},
            },
        ]
    }


async def test_it_reads_my_profile_and_manager_in_one_batch(call_tool, graph) -> None:
    graph.post(BATCH_URL, json=batch_reply(ME, MANAGER))
    result = await call_tool("getUserProfile")
    request = sent(graph)
    assert (request.method, request.url, request.query) == ("POST", BATCH_URL, {})
    assert request.body == batch_body("/me")
    assert len(graph.calls) == 1
    assert result.structured_content == {**ALICE, "manager": DANA, "note": None}
    assert result.content[0].text == (
        "Alice Archer · alice@contoso.com · Product Manager, Product · 18/2111\n"
        "Manager: Dana Whitfield · dana.whitfield@contoso.com · VP Product"
    )


async def test_it_reads_a_colleague_by_address(call_tool, graph) -> None:
    graph.post(BATCH_URL, json=batch_reply(ANNA, {**MANAGER, "displayName": "Grace Okafor"}))
    result = await call_tool("getUserProfile", {"user": "anna.lindqvist@contoso.com"})
    # The address is one encoded path segment (/users/{id | userPrincipalName}).
    assert sent(graph).body == batch_body("/users/anna.lindqvist%40contoso.com")
    assert result.structured_content["displayName"] == "Anna Lindqvist"
    assert result.structured_content["manager"]["displayName"] == "Grace Okafor"


async def test_it_encodes_a_guests_principal_name(call_tool, graph) -> None:
    graph.post(BATCH_URL, json=batch_reply(ANNA, MANAGER))
    guest = "anna_fabrikam.com#EXT#@contoso.onmicrosoft.com"
    result = await call_tool("getUserProfile", {"user": guest})
    assert not result.is_error
    assert sent(graph).body == batch_body(
        "/users/anna_fabrikam.com%23EXT%23%40contoso.onmicrosoft.com"
    )


async def test_it_reads_a_colleague_by_object_id(call_tool, graph) -> None:
    graph.post(BATCH_URL, json=batch_reply(ANNA, MANAGER))
    result = await call_tool("getUserProfile", {"user": ANNA_ID})
    assert not result.is_error
    assert sent(graph).body == batch_body(f"/users/{ANNA_ID}")


async def test_it_reports_no_manager_when_graph_has_none(call_tool, graph) -> None:
    missing = {"error": {"code": "Request_ResourceNotFound", "message": "Resource 'manager'…"}}
    graph.post(BATCH_URL, json=batch_reply(ME, missing, manager_status=404))
    result = await call_tool("getUserProfile")
    assert result.structured_content == {**ALICE, "manager": None, "note": None}
    assert result.content[0].text.endswith("\nManager: none.")


async def test_it_says_why_a_colleagues_manager_is_hidden(call_tool, graph) -> None:
    denied = {"error": {"code": "Authorization_RequestDenied", "message": "Insufficient…"}}
    graph.post(BATCH_URL, json=batch_reply(ANNA, denied, manager_status=403))
    result = await call_tool("getUserProfile", {"user": "anna.lindqvist@contoso.com"})
    note = (
        "Microsoft 365 did not allow reading this manager (the directory may require the "
        "User.Read.All permission for it)."
    )
    assert result.structured_content == {**ANNA, "manager": None, "note": note}
    assert result.content[0].text == (f"Anna Lindqvist · anna.lindqvist@contoso.com\n{note}")


async def test_it_says_when_nobody_has_that_address(call_tool, graph) -> None:
    missing = {"error": {"code": "Request_ResourceNotFound", "message": "Resource 'x'…"}}
    graph.post(
        BATCH_URL,
        json={
            "responses": [
                {"id": "1", "status": 404, "body": missing},
                {"id": "2", "status": 404, "body": missing},
            ]
        },
    )
    result = await call_tool("getUserProfile", {"user": "nobody@contoso.com"})
    assert result.is_error
    assert result.content[0].text == (
        "Microsoft 365 found nobody with that address or id in the organisation's directory. "
        "Use searchPeople to find the colleague's exact address, then try again."
    )


async def test_it_fails_when_the_manager_cannot_be_read_for_another_reason(
    call_tool, graph
) -> None:
    broken = {"error": {"code": "generalException", "message": "Boom."}}
    graph.post(BATCH_URL, json=batch_reply(ME, broken, manager_status=500))
    result = await call_tool("getUserProfile")
    assert result.is_error
    assert "unavailable right now" in result.content[0].text


@pytest.mark.parametrize(
    "user", ["anna", "anna@contoso", "335d0471-d65d-4500-aa54", "a@b.com/../../me", ""]
)
async def test_it_rejects_what_is_neither_an_address_nor_an_id(call_tool, graph, user) -> None:
    result = await call_tool("getUserProfile", {"user": user})
    assert result.is_error
    assert "Invalid arguments for getUserProfile: user" in result.content[0].text
    assert len(graph.calls) == 0

"""The fake Graph checks bearer tokens and permissions and answers in Graph's envelope."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from tests.fakes.flows import graph_get, signed_in_tokens
from tests.fakes.graph import GraphCall, GraphReply, graph_route
from tests.fakes.microsoft import GRAPH_ROUTES, FakeMicrosoft
from tests.fakes.people import ALICE, BOB

GRAPH_JSON = "application/json;odata.metadata=minimal"


def messages_list(call: GraphCall) -> GraphReply:
    return GraphReply(200, {"value": call.data.get("messages", [])})


def teams_list(call: GraphCall) -> GraphReply:
    return GraphReply(200, {"value": []})


# Stand-ins for the mail and Teams endpoints still to come, to test the route table.
ROUTES = (
    *GRAPH_ROUTES,
    graph_route(
        "GET", "/me/messages", any_of=("Mail.Read",), family="outlook", handler=messages_list
    ),
    graph_route(
        "GET", "/me/joinedTeams", any_of=("Team.ReadBasic.All",), family="teams", handler=teams_list
    ),
)


@pytest.fixture(scope="module")
def fake_with_mail_server() -> Iterator[FakeMicrosoft]:
    with FakeMicrosoft(graph_routes=ROUTES) as fake:
        yield fake


@pytest.fixture
def fake_with_mail(fake_with_mail_server: FakeMicrosoft) -> FakeMicrosoft:
    fake_with_mail_server.reset()
    return fake_with_mail_server


def assert_graph_error(
    response: httpx2.Response, status: int, code: str, message: str | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    assert response.status_code == status, body
    assert body["error"]["code"] == code
    if message is not None:
        assert body["error"]["message"] == message
    inner = body["error"]["innerError"]
    assert inner["request-id"] == response.headers["request-id"]
    assert inner["client-request-id"] == response.headers["client-request-id"]
    assert "Z" not in inner["date"]
    return body


def test_it_returns_me_for_whoever_holds_the_token(fake_microsoft) -> None:
    for person in (ALICE, BOB):
        token = str(signed_in_tokens(fake_microsoft, person.key)["access_token"])
        response = graph_get(fake_microsoft, "/me", token)
        me = response.json()
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(GRAPH_JSON)
        assert response.headers["odata-version"] == "4.0"
        assert me["@odata.context"] == f"{fake_microsoft.url}/v1.0/$metadata#users/$entity"
        assert (me["id"], me["userPrincipalName"]) == (person.oid, person.username)
        assert (me["displayName"], me["mail"]) == (person.display_name, person.mail)
        assert "accountEnabled" not in me  # only with $select


def test_it_honours_select(fake_microsoft) -> None:
    token = str(signed_in_tokens(fake_microsoft)["access_token"])
    response = graph_get(fake_microsoft, "/me?$select=displayName,ACCOUNTENABLED", token)
    assert response.json() == {
        "@odata.context": (
            f"{fake_microsoft.url}/v1.0/$metadata#users(displayName,accountEnabled)/$entity"
        ),
        "displayName": ALICE.display_name,
        "accountEnabled": True,
    }
    unknown = graph_get(fake_microsoft, "/me?$select=shoeSize", token)
    assert_graph_error(unknown, 400, "Request_BadRequest")


@pytest.mark.parametrize(
    ("authorization", "message"),
    [
        ("", "Access token is empty."),
        ("Basic abc", "Access token is empty."),
        ("Bearer not-a-token", "CompactToken validation failed with reason code: 80049228."),
        ("Bearer a.b.c", "Access token validation failure."),
    ],
)
def test_it_refuses_a_missing_or_unknown_token(fake_microsoft, authorization, message) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = httpx2.get(f"{fake_microsoft.url}/v1.0/me", headers=headers)
    assert_graph_error(response, 401, "InvalidAuthenticationToken", message)
    assert response.headers["www-authenticate"].startswith('Bearer realm="", authorization_uri=')


def test_it_refuses_an_expired_token_of_that_person_only(fake_microsoft) -> None:
    alice = str(signed_in_tokens(fake_microsoft, "alice")["access_token"])
    bob = str(signed_in_tokens(fake_microsoft, "bob")["access_token"])
    fake_microsoft.expire_access_tokens("alice")
    response = graph_get(fake_microsoft, "/me", alice)
    assert_graph_error(
        response, 401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid."
    )
    assert graph_get(fake_microsoft, "/me", bob).status_code == 200


def test_it_refuses_a_token_without_the_permission(fake_with_mail) -> None:
    mail_only = str(fake_with_mail.issue_tokens("alice", ["Mail.Read"])["access_token"])
    user_only = str(fake_with_mail.issue_tokens("bob", ["User.Read"])["access_token"])
    assert_graph_error(
        graph_get(fake_with_mail, "/me", mail_only),
        403,
        "Authorization_RequestDenied",
        "Insufficient privileges to complete the operation.",
    )
    assert_graph_error(
        graph_get(fake_with_mail, "/me/messages", user_only),
        403,
        "ErrorAccessDenied",
        "Access is denied. Check credentials and try again.",
    )
    teams = graph_get(fake_with_mail, "/me/joinedTeams", user_only)
    assert (
        "API requires one of 'Team.ReadBasic.All'"
        in assert_graph_error(teams, 403, "Forbidden")["error"]["message"]
    )
    assert graph_get(fake_with_mail, "/me/messages", mail_only).status_code == 200


def test_it_keeps_each_persons_data_apart(fake_with_mail) -> None:
    fake_with_mail.graph_data("alice")["messages"] = [{"id": "A1", "subject": "for alice"}]
    fake_with_mail.graph_data("bob")["messages"] = [{"id": "B1", "subject": "for bob"}]
    alice = str(fake_with_mail.issue_tokens("alice", ["Mail.Read"])["access_token"])
    bob = str(fake_with_mail.issue_tokens("bob", ["Mail.Read"])["access_token"])
    assert graph_get(fake_with_mail, "/me/messages", alice).json()["value"] == [
        {"id": "A1", "subject": "for alice"}
    ]
    assert [m["id"] for m in graph_get(fake_with_mail, "/me/messages", bob).json()["value"]] == [
        "B1"
    ]
    people = [(r.person, r.status) for r in fake_with_mail.graph_requests]
    assert people == [("alice", 200), ("bob", 200)]


def test_it_answers_unknown_paths_and_methods_as_graph_does(fake_microsoft) -> None:
    token = str(signed_in_tokens(fake_microsoft)["access_token"])
    unknown = graph_get(fake_microsoft, "/mee", token)
    assert_graph_error(unknown, 400, "BadRequest", "Resource not found for the segment 'mee'.")
    wrong_method = httpx2.delete(
        f"{fake_microsoft.url}/v1.0/me", headers={"Authorization": f"Bearer {token}"}
    )
    assert_graph_error(wrong_method, 405, "Request_BadRequest")
    repeated = graph_get(fake_microsoft, "/me?$select=id&$select=mail", token)
    assert_graph_error(repeated, 400, "BadRequest")


def test_it_echoes_the_client_request_id(fake_microsoft) -> None:
    token = str(signed_in_tokens(fake_microsoft)["access_token"])
    mine = "7c3b1f38-0e7e-4a8e-9d2b-5f1d2c3b4a59"
    response = graph_get(fake_microsoft, "/me", token, **{"client-request-id": mine})
    assert response.headers["client-request-id"] == mine
    assert response.headers["request-id"] != mine
    hostile = graph_get(fake_microsoft, "/me", token, **{"client-request-id": "x" * 500})
    assert hostile.headers["client-request-id"] == hostile.headers["request-id"]


def test_it_fails_the_next_graph_request_as_told(fake_microsoft) -> None:
    token = str(signed_in_tokens(fake_microsoft)["access_token"])
    fake_microsoft.fail_next_graph()
    throttled = graph_get(fake_microsoft, "/me", token)
    assert_graph_error(throttled, 429, "TooManyRequests", "Please retry again later.")
    assert throttled.headers["retry-after"] == "2"
    assert graph_get(fake_microsoft, "/me", token).status_code == 200

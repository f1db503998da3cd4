"""The one Graph client: headers, timeouts, request ids, retries and their limits, links."""

from __future__ import annotations

import pytest
import requests
import responses

from graph_tools import client as graph_client
from graph_tools.client import GraphClient, graph_link_checked, upload_url_checked
from graph_tools.errors import GraphError, GraphThrottled, ReauthRequired
from tests.graph_tools.scenarios import GRAPH

pytestmark = pytest.mark.django_db
ME = f"{GRAPH}/me"


@pytest.fixture
def client(alice) -> GraphClient:
    return GraphClient(user=alice, request_ids=[], scope="mail.read")


def test_it_sends_the_token_a_client_request_id_and_keeps_graphs_request_id(client, graph) -> None:
    graph.get(ME, json={"id": "1"}, headers={"request-id": "graph-req-1"})
    assert client.get("/me") == {"id": "1"}
    sent = graph.calls[0].request.headers
    assert sent["Authorization"] == "Bearer alice-access-1"
    assert len(sent["client-request-id"]) == 36
    assert client.request_ids == ["graph-req-1"]


def test_it_sets_a_timeout_on_every_call(client, graph, monkeypatch) -> None:
    seen = []
    real = requests.Session.request

    def spy(self, method, url, **kwargs):
        seen.append(kwargs["timeout"])
        return real(self, method, url, **kwargs)

    monkeypatch.setattr(requests.Session, "request", spy)
    graph.get(ME, json={})
    client.get("/me")
    assert seen == [graph_client.TIMEOUT_SECONDS]


def test_it_does_not_follow_redirects(client, graph) -> None:
    graph.get(ME, status=302, headers={"Location": "https://evil.example/"})
    with pytest.raises(GraphError):
        client.get("/me")
    assert len(graph.calls) == 1


def test_it_refreshes_once_and_then_asks_the_person_to_sign_in_again(client, graph, entra) -> None:
    graph.get(ME, status=401, json={"error": {"code": "InvalidAuthenticationToken"}})
    entra.refreshes()
    with pytest.raises(GraphError) as raised:
        client.get("/me")
    assert "sign in to Microsoft again" in raised.value.tool_message
    assert [c.request.url for c in graph.calls].count(entra.url) == 1
    assert len([c for c in graph.calls if c.request.url.startswith(GRAPH)]) == 2


def test_it_passes_on_a_sign_in_that_cannot_be_refreshed(client, graph, entra) -> None:
    graph.get(ME, status=401, json={"error": {"code": "InvalidAuthenticationToken"}})
    entra.refuses("invalid_grant", 700082)
    with pytest.raises(ReauthRequired):
        client.get("/me")


def test_it_gives_up_after_three_throttled_attempts(client, graph, no_sleep) -> None:
    graph.get(ME, status=429, headers={"Retry-After": "1"}, json={})
    with pytest.raises(GraphThrottled) as raised:
        client.get("/me")
    assert len(graph.calls) == 3
    assert no_sleep == [1.0, 1.0]
    assert raised.value.tool_message.endswith("retry after 1 s.")


def test_it_backs_off_with_jitter_when_a_throttle_names_no_wait(client, graph, no_sleep) -> None:
    graph.get(ME, status=429, json={})
    graph.get(ME, json={"id": "1"})
    client.get("/me")
    assert len(no_sleep) == 1
    assert 0 <= no_sleep[0] <= graph_client.BACKOFF_SECONDS


def test_it_retries_a_connection_error_for_a_read(client, graph, no_sleep) -> None:
    graph.get(ME, body=requests.ConnectionError("reset"))
    graph.get(ME, json={"id": "1"})
    assert client.get("/me") == {"id": "1"}
    assert len(no_sleep) == 1


def test_it_never_repeats_a_post_after_a_connection_error(client, graph, no_sleep) -> None:
    graph.post(f"{GRAPH}/me/sendMail", body=requests.ConnectionError("reset"))
    with pytest.raises(GraphError) as raised:
        client.post("/me/sendMail", {"message": {}})
    assert "could not reach Microsoft 365" in raised.value.tool_message
    assert len(graph.calls) == 1
    assert no_sleep == []


def test_it_stops_retrying_an_unavailable_service(client, graph, no_sleep) -> None:
    graph.get(ME, status=503, headers={"Retry-After": "30"}, json={})
    with pytest.raises(GraphError) as raised:
        client.get("/me")
    assert "unavailable right now" in raised.value.tool_message
    assert len(graph.calls) == 3
    assert no_sleep == [graph_client.MAX_RETRY_AFTER_SECONDS] * 2


def test_it_refuses_a_reply_larger_than_it_handles(client, graph, monkeypatch) -> None:
    monkeypatch.setattr(graph_client, "MAX_RESPONSE_BYTES", 1000)
    graph.get(ME, body=b"x" * 5000)
    with pytest.raises(GraphError) as raised:
        client.get("/me")
    assert "too large" in raised.value.tool_message


def test_it_ignores_whatever_comes_with_a_202(client, graph) -> None:
    graph.post(f"{GRAPH}/me/sendMail", status=202, body="accepted")
    assert client.post("/me/sendMail", {}) is None


@pytest.mark.parametrize(
    "code",
    ["ErrorItemNotFound", "MailboxNotEnabledForRESTAPI", "ErrorInvalidRecipients"],
)
def test_it_prefers_the_most_specific_known_code(client, graph, code) -> None:
    body = {"error": {"code": "generalException", "innerError": {"code": code}}}
    graph.get(ME, status=400, json=body)
    with pytest.raises(GraphError) as raised:
        client.get("/me")
    assert raised.value.code == code


def test_it_never_repeats_graphs_own_error_message(client, graph) -> None:
    body = {"error": {"code": "BadRequest", "message": "Subject 'Salary of Bob' is invalid"}}
    graph.get(ME, status=400, json=body)
    with pytest.raises(GraphError) as raised:
        client.get("/me")
    assert "Salary" not in raised.value.tool_message


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example/v1.0/me/messages?$skip=10",
        "http://graph.microsoft.com/v1.0/me/messages",
        "https://graph.microsoft.com/beta/me/messages",
        "https://graph.microsoft.com/v1.0/../beta/me",
        "https://graph.microsoft.com.evil.example/v1.0/me",
    ],
)
def test_it_refuses_links_outside_the_graph_base(link) -> None:
    with pytest.raises(GraphError):
        graph_link_checked(link, GRAPH)


def test_it_accepts_links_under_the_graph_base() -> None:
    link = f"{GRAPH}/me/messages?$skip=10"
    assert graph_link_checked(link, GRAPH) == link


def test_it_sends_uploads_only_to_outlook_or_graph_without_the_token(client, graph) -> None:
    upload = "https://outlook.office.com/api/v2.0/Users('x')/Messages('y')/AttachmentSessions('z')"
    assert upload_url_checked(upload, GRAPH) == upload
    with pytest.raises(GraphError):
        upload_url_checked("https://attacker.example/upload", GRAPH)
    graph.put(upload, json={"nextExpectedRanges": []})
    client.request("PUT", upload, data=b"abc", authenticated=False)
    assert "Authorization" not in graph.calls[0].request.headers


def test_it_caps_the_request_ids_it_keeps(client, graph) -> None:
    graph.get(ME, json={}, headers={"request-id": "r"})
    for _ in range(graph_client.MAX_REQUEST_IDS + 5):
        client.get("/me")
    assert len(client.request_ids) == graph_client.MAX_REQUEST_IDS


@responses.activate
def test_it_refuses_a_person_without_a_microsoft_sign_in(outsider) -> None:
    with pytest.raises(ReauthRequired):
        GraphClient(user=outsider, request_ids=[]).get("/me")

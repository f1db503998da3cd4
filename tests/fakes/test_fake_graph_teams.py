"""The fake's Teams endpoints answer as Graph does, each person with their own data."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx2
import pytest

from tests.fakes.flows import access_token, graph_call, graph_get
from tests.fakes.graph_teams_seed import (
    ALICE_BOB,
    BOB_ERIK,
    ENGINEERING,
    FALCON,
    FALCON_GENERAL,
    FALCON_MESSAGES,
    LAUNCH,
    MARKETING,
)
from tests.fakes.people import ALICE, BOB

READ = [
    "Team.ReadBasic.All",
    "Channel.ReadBasic.All",
    "ChannelMessage.Read.All",
    "Chat.Read",
]
WRITE = ["ChannelMessage.Send", "ChatMessage.Send"]
ALL = READ + WRITE
FALCON_MESSAGES_PATH = f"/teams/{FALCON}/channels/{quote(FALCON_GENERAL, safe='')}/messages"


def test_each_person_sees_their_own_teams(fake_microsoft) -> None:
    alice = graph_get(
        fake_microsoft, "/me/joinedTeams", access_token(fake_microsoft, "alice", ALL)
    ).json()
    bob = graph_get(
        fake_microsoft, "/me/joinedTeams", access_token(fake_microsoft, "bob", ALL)
    ).json()
    assert [(t["id"], t["displayName"]) for t in alice["value"]] == [
        (MARKETING, "Contoso Marketing"),
        (FALCON, "Project Falcon"),
    ]
    assert [(t["id"], t["displayName"]) for t in bob["value"]] == [
        (FALCON, "Project Falcon"),
        (ENGINEERING, "Engineering"),
    ]
    assert set(alice["value"][0]) == {"id", "displayName", "description"}


def test_joined_teams_takes_no_query_options(fake_microsoft) -> None:
    access = access_token(fake_microsoft, "alice", ALL)
    response = graph_get(fake_microsoft, "/me/joinedTeams?$select=id", access)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "BadRequest"


def test_it_lists_channels_of_joined_teams_only(fake_microsoft) -> None:
    access = access_token(fake_microsoft, "alice", ALL)
    path = f"/teams/{FALCON}/channels?$select=id,displayName,membershipType"
    channels = graph_get(fake_microsoft, path, access).json()["value"]
    assert channels[0] == {
        "id": FALCON_GENERAL,
        "displayName": "General",
        "membershipType": "standard",
    }
    assert [c["displayName"] for c in channels] == ["General", "Design Reviews"]
    assert all(c["id"].startswith("19:") and c["id"].endswith("@thread.tacv2") for c in channels)
    not_joined = graph_get(fake_microsoft, f"/teams/{ENGINEERING}/channels", access)
    assert (not_joined.status_code, not_joined.json()["error"]["code"]) == (404, "NotFound")
    unknown = graph_get(fake_microsoft, f"/teams/{FALCON}/channels?$select=shoeSize", access)
    assert unknown.status_code == 400


def test_it_pages_channel_messages_newest_first_with_a_skiptoken(fake_microsoft) -> None:
    access = access_token(fake_microsoft, "alice", ALL)
    response = graph_get(fake_microsoft, f"{FALCON_MESSAGES_PATH}?$top=7", access)
    seen: list[dict[str, Any]] = []
    while True:
        body = response.json()
        assert response.status_code == 200, body
        seen += body["value"]
        link = body.get("@odata.nextLink")
        if link is None:
            break
        assert "$skiptoken=" in link
        assert "$top=7" in link
        response = httpx2.get(link, headers={"Authorization": f"Bearer {access}"})
    ids = [int(message["id"]) for message in seen]
    assert len(ids) == len(set(ids)) == FALCON_MESSAGES + 1  # and the "members added" event
    assert ids == sorted(ids, reverse=True)
    assert seen[-1]["messageType"] == "unknownFutureValue"
    assert seen[0]["channelIdentity"] == {"teamId": FALCON, "channelId": FALCON_GENERAL}
    too_many = graph_get(fake_microsoft, f"{FALCON_MESSAGES_PATH}?$top=51", access)
    assert too_many.status_code == 400


def mention_body(user_id: str, name: str) -> dict[str, Any]:
    return {
        "body": {"contentType": "html", "content": f'<at id="0">{name}</at> ready?'},
        "mentions": [
            {
                "id": 0,
                "mentionText": name,
                "mentioned": {
                    "user": {"id": user_id, "displayName": name, "userIdentityType": "aadUser"}
                },
            }
        ],
    }


def test_it_stores_a_posted_message_with_its_mentions(fake_microsoft) -> None:
    access = access_token(fake_microsoft, "alice", ALL)
    response = graph_call(
        fake_microsoft, access, "POST", FALCON_MESSAGES_PATH, mention_body(BOB.oid, "Bob")
    )
    created = response.json()
    assert response.status_code == 201, created
    assert created["@odata.context"].endswith("/$entity")
    assert created["from"]["user"] == {
        "id": ALICE.oid,
        "displayName": "Alice Archer",
        "userIdentityType": "aadUser",
    }
    assert created["mentions"] == [
        {
            "id": 0,
            "mentionText": "Bob",
            "mentioned": {
                "application": None,
                "device": None,
                "conversation": None,
                "user": {"id": BOB.oid, "displayName": "Bob", "userIdentityType": "aadUser"},
            },
        }
    ]
    assert created["webUrl"].startswith("https://teams.microsoft.com/l/message/19%3A")
    stored = fake_microsoft.graph_data("alice")["channelMessages"][-1]
    assert {**stored, "@odata.context": created["@odata.context"]} == created
    newest = graph_get(fake_microsoft, f"{FALCON_MESSAGES_PATH}?$top=1", access).json()
    assert newest["value"][0]["id"] == created["id"]
    bobs = graph_get(
        fake_microsoft, f"{FALCON_MESSAGES_PATH}?$top=1", access_token(fake_microsoft, "bob", ALL)
    )
    assert bobs.json()["value"][0]["id"] != created["id"]  # each person's data is their own


@pytest.mark.parametrize(
    "body",
    [
        {"body": {"contentType": "html", "content": '<at id="1">Bob</at> hi'}},
        {**mention_body(BOB.oid, "Bob"), "body": {"contentType": "html", "content": "no tag"}},
        {"body": {"contentType": "markdown", "content": "hi"}},
        {"subject": "no body"},
    ],
)
def test_it_refuses_a_message_graph_would_refuse(fake_microsoft, body) -> None:
    response = graph_call(
        fake_microsoft,
        access_token(fake_microsoft, "alice", ALL),
        "POST",
        FALCON_MESSAGES_PATH,
        body,
    )
    assert (response.status_code, response.json()["error"]["code"]) == (400, "BadRequest")
    assert len(fake_microsoft.graph_data("alice")["channelMessages"]) == FALCON_MESSAGES + 4


def test_it_keeps_replies_out_of_the_channel_listing(fake_microsoft) -> None:
    access = access_token(fake_microsoft, "alice", ALL)
    root = graph_get(fake_microsoft, f"{FALCON_MESSAGES_PATH}?$top=1", access).json()["value"][0]
    reply_path = f"{FALCON_MESSAGES_PATH}/{root['id']}/replies"
    reply = graph_call(fake_microsoft, access, "POST", reply_path, {"body": {"content": "Agreed"}})
    assert reply.status_code == 201
    assert (reply.json()["replyToId"], reply.json()["body"]["contentType"]) == (root["id"], "text")
    newest = graph_get(fake_microsoft, f"{FALCON_MESSAGES_PATH}?$top=1", access).json()
    assert newest["value"][0]["id"] == root["id"]
    missing = graph_call(
        fake_microsoft, access, "POST", f"{FALCON_MESSAGES_PATH}/42/replies", {"body": {}}
    )
    assert missing.status_code == 404


def test_it_lists_chats_with_members_latest_first(fake_microsoft) -> None:
    access = access_token(fake_microsoft, "alice", ALL)
    path = "/me/chats?$expand=members&$top=50&$orderby=lastMessagePreview/createdDateTime desc"
    chats = graph_get(fake_microsoft, path, access).json()["value"]
    assert [chat["id"] for chat in chats] == [LAUNCH, ALICE_BOB]
    assert [m["displayName"] for m in chats[0]["members"]] == [
        "Alice Archer",
        "Bob Baker",
        "Priya Raman",
    ]
    assert [chat["chatType"] for chat in chats] == ["group", "oneOnOne"]
    plain = graph_get(fake_microsoft, "/me/chats", access).json()["value"]
    assert "members" not in plain[0]
    bad = graph_get(fake_microsoft, "/me/chats?$orderby=topic", access)
    assert bad.status_code == 400


def test_alice_cannot_read_or_write_bobs_private_chat(fake_microsoft) -> None:
    alice, bob = (
        access_token(fake_microsoft, "alice", ALL),
        access_token(fake_microsoft, "bob", ALL),
    )
    path = f"/chats/{quote(BOB_ERIK, safe='')}/messages"
    refused = graph_get(fake_microsoft, path, alice)
    assert refused.status_code == 403
    assert refused.json()["error"] | {"innerError": None} == {
        "code": "Forbidden",
        "message": "Forbidden",
        "innerError": None,
    }
    assert (
        graph_call(fake_microsoft, alice, "POST", path, {"body": {"content": "hi"}}).status_code
        == 403
    )
    mine = graph_get(fake_microsoft, path, bob).json()["value"]
    assert [m["from"]["user"]["displayName"] for m in mine] == ["Erik Sandoval"]


def test_it_posts_and_lists_chat_messages(fake_microsoft) -> None:
    access = access_token(fake_microsoft, "alice", ALL)
    path = f"/chats/{quote(ALICE_BOB, safe='')}/messages"
    created = graph_call(
        fake_microsoft, access, "POST", path, {"body": {"content": "On my way"}}
    ).json()
    assert (created["chatId"], created["channelIdentity"], created["webUrl"]) == (
        ALICE_BOB,
        None,
        None,
    )
    assert created["messageHistory"] == []
    listed = graph_get(fake_microsoft, f"{path}?$top=2&$orderby=createdDateTime desc", access)
    body = listed.json()
    assert [m["body"]["content"] for m in body["value"]] == [
        "On my way",
        "Sure, see you at the canteen.",
    ]
    assert "$skiptoken=" in body["@odata.nextLink"]
    chat = next(c for c in fake_microsoft.graph_data("alice")["chats"] if c["id"] == ALICE_BOB)
    assert chat["lastUpdatedDateTime"] == created["createdDateTime"]


def test_it_needs_the_teams_permissions(fake_microsoft) -> None:
    read_only = access_token(fake_microsoft, "alice", READ)
    refused = graph_call(
        fake_microsoft, read_only, "POST", FALCON_MESSAGES_PATH, {"body": {"content": "x"}}
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "Forbidden"
    assert "ChannelMessage.Send" in refused.json()["error"]["message"]


def test_it_answers_channels_of_several_teams_in_one_batch(fake_microsoft) -> None:
    access = access_token(fake_microsoft, "alice", ALL)
    requests = [
        {"id": str(i), "method": "GET", "url": f"/teams/{team}/channels?$select=id"}
        for i, team in enumerate((MARKETING, FALCON, ENGINEERING), start=1)
    ]
    answers = graph_call(fake_microsoft, access, "POST", "/$batch", {"requests": requests}).json()[
        "responses"
    ]
    assert [answer["status"] for answer in answers] == [200, 200, 404]
    assert len(answers[1]["body"]["value"]) == 2

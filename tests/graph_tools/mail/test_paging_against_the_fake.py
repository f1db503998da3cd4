"""Paging end to end: a folder of 120 messages in the local fake of Microsoft, walked with
getEmails and its cursors, shows every message exactly once, newest first."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.graph_tools.conftest import ConnectToFake

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def alice(connect_to_fake: ConnectToFake) -> User:
    return connect_to_fake("alice", ["User.Read", "Mail.Read", "MailboxSettings.Read"])


async def test_it_walks_120_messages_in_three_pages(call_tool, microsoft_settings) -> None:
    folders = await call_tool("listMailFolders")
    assert not folders.is_error, folders.content[0].text
    newsletters = next(
        f for f in folders.structured_content["folders"] if f["displayName"] == "Newsletters"
    )
    assert newsletters["totalItemCount"] == 120
    pages, cursor = [], None
    while True:
        arguments = {"folder": newsletters["id"], "count": 50}
        result = await call_tool(
            "getEmails", {**arguments, "cursor": cursor} if cursor else arguments
        )
        assert not result.is_error, result.content[0].text
        pages.append([m["id"] for m in result.structured_content["messages"]])
        cursor = result.structured_content["nextCursor"]
        if cursor is None:
            break
    assert [len(page) for page in pages] == [50, 50, 20]
    seen = [message_id for page in pages for message_id in page]
    stored = [
        m for m in microsoft_settings.graph_data("alice")["messages"]
        if m["parentFolderId"] == newsletters["id"]
    ]  # fmt: skip
    assert len(seen) == len(set(seen)) == 120
    assert set(seen) == {m["id"] for m in stored}
    newest_first = sorted(stored, key=lambda m: m["receivedDateTime"], reverse=True)
    assert seen == [m["id"] for m in newest_first]
    paths = [r.path for r in microsoft_settings.graph_requests]
    # The folder list, one request per page, and the mailbox zone once (then cached).
    assert len(paths) == 5
    assert paths.count("/me/mailboxSettings/timeZone") == 1

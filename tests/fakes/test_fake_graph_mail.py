"""The fake's mail endpoints behave like Graph's (wire shapes §2A, §3.1)."""

from __future__ import annotations

import base64
from urllib.parse import quote

import httpx2

from tests.fakes.flows import access_token, graph_call, graph_error
from tests.fakes.graph_items import outlook_id

READ = ["Mail.Read"]
ALL = ["Mail.ReadWrite", "Mail.Send"]
Q3 = outlook_id("alice", "message", "q3-budget")


def test_it_pages_a_folder_with_next_links_that_keep_the_query(fake_microsoft) -> None:
    fake = fake_microsoft
    alice = access_token(fake, "alice", READ)
    query = {"$top": "50", "$select": "subject", "$orderby": "receivedDateTime desc"}
    first = graph_call(fake, alice, "GET", "/me/mailFolders/inbox/messages", **query).json()
    assert [m["subject"] for m in first["value"]] == [
        "Q3 budget review",
        "Lunch on Thursday?",
        "Offsite agenda",
        "FW: Contract draft",
        "Your weekly digest",
    ]
    assert set(first["value"][0]) == {"@odata.etag", "id", "subject"}
    assert "@odata.nextLink" not in first
    folders = graph_call(fake, alice, "GET", "/me/mailFolders", **{"$top": "20"}).json()["value"]
    news = next(f for f in folders if f["displayName"] == "Newsletters")
    assert (news["totalItemCount"], news["unreadItemCount"]) == (120, 80)
    url = f"/me/mailFolders/{quote(news['id'], safe='')}/messages"
    page = graph_call(fake, alice, "GET", url, **query).json()
    seen = [m["id"] for m in page["value"]]
    while "@odata.nextLink" in page:
        assert "%24select=subject" in page["@odata.nextLink"]
        page = httpx2.get(page["@odata.nextLink"], headers={"Authorization": f"Bearer {alice}"})
        page = page.json()
        seen += [m["id"] for m in page["value"]]
    assert len(seen) == len(set(seen)) == 120


def test_it_searches_with_kql_but_never_sorted(fake_microsoft) -> None:
    fake = fake_microsoft
    alice = access_token(fake, "alice", READ)
    found = graph_call(fake, alice, "GET", "/me/messages", **{"$search": '"from:bob budget"'})
    assert [m["id"] for m in found.json()["value"]] == [Q3]
    search = '"subject:\\"weekly #119\\""'
    quoted = graph_call(fake, alice, "GET", "/me/messages", **{"$search": search})
    assert [m["subject"] for m in quoted.json()["value"]] == ["Contoso Weekly #119"]
    sorted_search = graph_call(
        fake, alice, "GET", "/me/messages", **{"$search": '"x"', "$orderby": "subject"}
    )
    assert graph_error(sorted_search) == (400, "SearchWithOrderBy")
    assert (
        graph_error(graph_call(fake, alice, "GET", "/me/messages", **{"$search": "budget"}))[0]
        == 400
    )


def test_it_gets_one_message_with_its_attachments_expanded(fake_microsoft) -> None:
    fake = fake_microsoft
    alice = access_token(fake, "alice", READ)
    path = f"/me/messages/{quote(Q3, safe='')}"
    got = graph_call(
        fake, alice, "GET", path,
        **{"$select": "subject,body", "$expand": "attachments($select=name,size)"},
    ).json()  # fmt: skip
    assert got["subject"] == "Q3 budget review"
    assert got["attachments"] == [
        {
            "@odata.type": "#microsoft.graph.fileAttachment",
            "id": outlook_id("alice", "attachment", "q3"),
            "name": "Q3-budget.csv",
            "size": 38,
        }
    ]
    # Consent accumulates per person, so bob gets the basic permission alone.
    basic = access_token(fake, "bob", ["Mail.ReadBasic"])
    bobs = f"/me/messages/{quote(outlook_id('bob', 'message', 'floorplan'), safe='')}"
    assert "body" not in graph_call(fake, basic, "GET", bobs).json()  # no bodies for ReadBasic
    assert graph_error(graph_call(fake, basic, "GET", f"{bobs}/attachments")) == (
        403,
        "ErrorAccessDenied",
    )


def test_it_answers_unknown_and_malformed_ids_as_exchange_does(fake_microsoft) -> None:
    fake = fake_microsoft
    alice = access_token(fake, "alice", READ)
    missing = graph_call(fake, alice, "GET", f"/me/messages/{quote(outlook_id('x'), safe='')}")
    assert graph_error(missing) == (404, "ErrorItemNotFound")
    assert "innerError" not in missing.json()["error"]
    assert graph_error(graph_call(fake, alice, "GET", "/me/messages/not-an-id!")) == (
        400,
        "ErrorInvalidIdMalformed",
    )
    bobs = quote(outlook_id("bob", "message", "floorplan"), safe="")
    assert graph_error(graph_call(fake, alice, "GET", f"/me/messages/{bobs}")) == (
        404,
        "ErrorItemNotFound",
    )


def test_it_keeps_sent_mail_in_sent_items(fake_microsoft) -> None:
    fake = fake_microsoft
    alice = access_token(fake, "alice", ALL)
    message = {
        "subject": "Hello",
        "body": {"contentType": "Text", "content": "Hi"},
        "toRecipients": [{"emailAddress": {"address": "bob@contoso.com"}}],
        "attachments": [
            {"@odata.type": "#microsoft.graph.fileAttachment", "name": "a.txt",
             "contentType": "text/plain", "contentBytes": base64.b64encode(b"hi").decode()}
        ],
    }  # fmt: skip
    sent = graph_call(fake, alice, "POST", "/me/sendMail", {"message": message})
    assert (sent.status_code, sent.content) == (202, b"")
    stored = fake.graph_data("alice")["messages"][-1]
    assert (stored["subject"], stored["hasAttachments"], stored["isDraft"]) == (
        "Hello",
        True,
        False,
    )
    quiet = {"message": {**message, "subject": "Quiet"}, "saveToSentItems": False}
    unsaved = graph_call(fake, alice, "POST", "/me/sendMail", quiet)
    assert unsaved.status_code == 202
    assert fake.graph_data("alice")["messages"][-1]["subject"] == "Hello"
    nobody = graph_call(fake, alice, "POST", "/me/sendMail", {"message": {"subject": "x"}})
    assert graph_error(nobody) == (400, "ErrorInvalidRecipients")
    reader = access_token(fake, "bob", READ)
    assert graph_error(graph_call(fake, reader, "POST", "/me/sendMail", {"message": message})) == (
        403,
        "ErrorAccessDenied",
    )


def test_it_uploads_in_ranges_without_a_bearer_token(fake_microsoft) -> None:
    fake = fake_microsoft
    alice = access_token(fake, "alice", ALL)
    draft = graph_call(fake, alice, "POST", "/me/messages", {"subject": "Big"}).json()
    path = f"/me/messages/{quote(draft['id'], safe='')}/attachments/createUploadSession"
    small = {"AttachmentItem": {"attachmentType": "file", "name": "s.bin", "size": 10}}
    assert graph_error(graph_call(fake, alice, "POST", path, small))[0] == 400
    size = 3 * 1024 * 1024 + 5
    item = {"AttachmentItem": {"attachmentType": "file", "name": "b.bin", "size": size}}
    session = graph_call(fake, alice, "POST", path, item)
    assert session.status_code == 201
    url = session.json()["uploadUrl"]
    assert url.startswith(f"{fake.url}/v1.0/")
    data = b"\x01" * size
    wrong = httpx2.put(url, content=data[:10], headers={"Content-Range": f"bytes 5-14/{size}"})
    assert graph_error(wrong) == (416, "ErrorInvalidRange")
    stolen = httpx2.put(url.split("?")[0] + "?authtoken=guess", content=data[:10],
                        headers={"Content-Range": f"bytes 0-9/{size}"})  # fmt: skip
    assert graph_error(stolen) == (404, "ErrorItemNotFound")
    first = httpx2.put(url, content=data[:size - 5],
                       headers={"Content-Range": f"bytes 0-{size - 6}/{size}"})  # fmt: skip
    assert (first.status_code, first.json()["nextExpectedRanges"]) == (200, [str(size - 5)])
    last = httpx2.put(url, content=data[-5:],
                      headers={"Content-Range": f"bytes {size - 5}-{size - 1}/{size}"})  # fmt: skip
    assert last.status_code == 201
    stored = next(m for m in fake.graph_data("alice")["messages"] if m["id"] == draft["id"])
    assert base64.b64decode(stored["attachments"][0]["contentBytes"]) == data


def test_it_moves_patches_and_refuses_what_graph_refuses(fake_microsoft) -> None:
    fake = fake_microsoft
    alice = access_token(fake, "alice", ALL)
    path = f"/me/messages/{quote(Q3, safe='')}"
    patched = graph_call(fake, alice, "PATCH", path, {"flag": {"flagStatus": "complete"}})
    assert patched.json()["flag"] == {"flagStatus": "complete"}
    assert graph_error(graph_call(fake, alice, "PATCH", path, {"id": "x"}))[0] == 400
    assert (
        graph_error(graph_call(fake, alice, "PATCH", path, {"flag": {"flagStatus": "red"}}))[0]
        == 400
    )
    moved = graph_call(fake, alice, "POST", f"{path}/move", {"destinationId": "Archive"})
    assert moved.status_code == 201
    assert moved.json()["id"] != Q3
    assert graph_error(graph_call(fake, alice, "GET", path)) == (404, "ErrorItemNotFound")
    moved_path = f"/me/messages/{quote(moved.json()['id'], safe='')}"
    forward = graph_call(fake, alice, "POST", f"{moved_path}/forward", {"comment": "x"})
    assert graph_error(forward) == (400, "ErrorInvalidRecipients")


def test_it_gets_one_folder_by_well_known_name_or_id(fake_microsoft) -> None:
    fake = fake_microsoft
    alice, bob = access_token(fake, "alice", READ), access_token(fake, "bob", READ)
    query = {"$select": "id"}
    deleted = graph_call(fake, alice, "GET", "/me/mailFolders/DeletedItems", **query).json()
    assert set(deleted) == {"@odata.context", "id"}
    by_id = graph_call(fake, alice, "GET", f"/me/mailFolders/{quote(deleted['id'], safe='')}")
    assert by_id.json()["displayName"] == "Deleted Items"
    bobs = graph_call(fake, bob, "GET", "/me/mailFolders/deleteditems", **query).json()
    assert bobs["id"] != deleted["id"]
    theirs = graph_call(fake, bob, "GET", f"/me/mailFolders/{quote(deleted['id'], safe='')}")
    assert graph_error(theirs) == (404, "ErrorItemNotFound")

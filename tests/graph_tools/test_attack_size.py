"""Security review: inputs and Graph replies are bounded; large bodies cost bounded time and
come back trimmed."""

from __future__ import annotations

import logging
import time

import pytest

from graph_tools.text import html_to_text
from tests.graph_tools.attack_support import MESSAGE_ID, MESSAGE_URL, SECRET, person, text
from tests.graph_tools.scenarios import GRAPH

pytestmark = pytest.mark.django_db(transaction=True)
MEETING = {"subject": "s", "startTime": "2026-12-01T10:00:00", "endTime": "2026-12-01T11:00:00"}
TEAM = "172b0cce-e65d-44ce-9a49-91d9f2e8493a"
CHANNEL = "19:561fbdbbfca848a484f0a6f00ce9dbbd@thread.tacv2"
EVENT = {"subject": "s", "start": "2026-12-01T10:00:00", "end": "2026-12-01T11:00:00"}
MAIL = {"to": "bob@contoso.com", "subject": "s", "body": "b"}
MANY = [f"p{n}@contoso.com" for n in range(101)]
TOO_MUCH = [
    ("sendEmail", {**MAIL, "attachments": [{"name": "a", "contentBytes": "YQ=="}] * 21}),
    ("sendEmail", {**MAIL, "to": MANY}),
    ("sendEmail", {**MAIL, "bcc": MANY}),
    ("sendEmail", {**MAIL, "subject": "s" * 256}),
    ("sendEmail", {**MAIL, "body": "b" * 1_000_001}),
    ("forwardEmail", {"messageId": MESSAGE_ID, "to": MANY}),
    ("searchEmails", {"query": "q" * 501}),
    ("getEmails", {"count": 51}),
    ("getEmail", {"messageId": MESSAGE_ID, "maxChars": 20_001}),
    ("createCalendarEvent", {**EVENT, "attendees": MANY}),
    (
        "getSchedule",
        {
            "people": MANY[:21],
            "startDateTime": "2026-12-01T09:00:00",
            "endDateTime": "2026-12-01T17:00:00",
        },
    ),
    ("createTeamsMeeting", {**MEETING, "attendees": MANY}),
    ("sendTeamsMessage", {"teamId": TEAM, "channelId": CHANNEL, "message": "m" * 20_001}),
    (
        "sendTeamsMessage",
        {"teamId": TEAM, "channelId": CHANNEL, "message": "m", "mentions": MANY[:21]},
    ),
    ("sendChatMessage", {"chatId": "19:a@thread.v2", "message": "m" * 20_001}),
]


@pytest.mark.parametrize(("tool", "arguments"), TOO_MUCH, ids=lambda v: str(v)[:24])
async def test_it_refuses_oversized_input_before_graph(call_tool, graph, tool, arguments) -> None:
    result = await call_tool(tool, arguments, consent="confirmed")
    assert text(result).startswith(f"Invalid arguments for {tool}")
    assert len(graph.calls) == 0


async def test_a_graph_reply_over_16_mib_is_refused(call_tool, graph, mailbox_zone) -> None:
    huge = b'{"value": [], "pad": "' + b"x" * (16 * 1024 * 1024) + b'"}'
    graph.get(f"{GRAPH}/me/mailFolders/inbox/messages", body=huge, content_type="application/json")
    result = await call_tool("getEmails", {})
    assert text(result) == "Microsoft 365's reply was too large to handle. Ask for fewer items."


async def test_a_long_body_comes_back_trimmed_with_a_way_on(call_tool, graph, mailbox_zone) -> None:
    html = "<p>" + "word " * 40_000 + "</p>"
    graph.get(
        MESSAGE_URL, json={"id": MESSAGE_ID, "body": {"contentType": "html", "content": html}}
    )
    result = await call_tool("getEmail", {"messageId": MESSAGE_ID, "maxChars": 1000})
    out = result.structured_content
    assert out["bodyTruncated"] is True
    assert out["nextBodyOffset"] == 1000
    assert out["body"].endswith("[… trimmed: 198999 more characters]")
    assert len(out["body"]) < 1100


MIB = 1024 * 1024
FAST_SHAPES = {
    "ordinary 1 MiB": '<p>Hi <b>Anna</b> &amp; <a href="https://x.example">team</a></p>\n'
    * (MIB // 64),
    "unclosed comment 5 MiB": "<!--" + "a" * 5 * MIB,
    "unclosed script 5 MiB": "<script>" + "x" * 5 * MIB,
    "entity flood 1 MiB": "&amp;&#x41;&#65;&nbsp;" * (MIB // 22),
    "unclosed attribute 5 MiB": "<a href='" + "x" * 5 * MIB,
}


@pytest.mark.parametrize("html", FAST_SHAPES.values(), ids=FAST_SHAPES.keys())
def test_these_html_shapes_convert_in_well_under_a_second(html) -> None:
    started = time.monotonic()
    html_to_text(html)
    assert time.monotonic() - started < 0.8


def test_scripts_styles_and_comments_are_dropped() -> None:
    html = (
        "<html><head><title>t</title><style>p{}</style></head><body>"
        "<script>alert(1)</script><!-- hidden -->Hi<br>there<noscript>n</noscript>"
        "<template>x</template></body></html>"
    )
    assert html_to_text(html) == "Hi\nthere"


def html_message(html: str) -> dict[str, object]:
    return {
        "id": MESSAGE_ID,
        "subject": "Hello",
        "from": person("mallory@fabrikam.com"),
        "body": {"contentType": "html", "content": html},
    }


# --- F1: html_to_text is quadratic on "<a <a <a …" (CPython HTMLParser) --------------------


async def test_it_reads_a_24_kb_hostile_html_mail_in_under_a_second(
    call_tool, graph, mailbox_zone
) -> None:
    graph.get(MESSAGE_URL, json=html_message("<a " * 8000))  # 24 KB: ~4.5 s today
    started = time.monotonic()
    result = await call_tool("getEmail", {"messageId": MESSAGE_ID})
    assert not result.is_error, text(result)
    assert time.monotonic() - started < 1.0


# --- F2: "<![" followed by a non-name crashes html_to_text; the crash log quotes the body --


async def test_it_reads_a_mail_whose_html_has_a_bogus_marked_section(
    call_tool, graph, mailbox_zone, caplog
) -> None:
    graph.get(MESSAGE_URL, json=html_message(f"<p>Hi</p><![ {SECRET} and more"))
    with caplog.at_level(logging.DEBUG):
        result = await call_tool("getEmail", {"messageId": MESSAGE_ID})
    assert SECRET not in caplog.text  # today: "AssertionError: expected name token at '<![ …"
    assert not result.is_error, text(result)  # today: "The tool failed unexpectedly."


async def test_one_bogus_teams_message_does_not_make_the_whole_chat_unreadable(
    call_tool, graph
) -> None:
    chat = "19:abc@thread.v2"
    messages = [
        {
            "id": "1",
            "createdDateTime": "2026-11-20T15:30:00Z",
            "from": {"user": {"displayName": "Mallory"}},
            "body": {"contentType": "html", "content": "<![ boom"},
        }
    ]
    graph.get(f"{GRAPH}/chats/19%3Aabc%40thread.v2/messages", json={"value": messages})
    result = await call_tool("getChatMessages", {"chatId": chat, "timeZone": "UTC"})
    assert not result.is_error, text(result)

"""Security review: nothing destructive runs without the person's confirmation, whatever the
model passes, and the questions never carry what is being sent."""

from __future__ import annotations

from dataclasses import replace

import pytest

from graph_tools import catalog
from tests.graph_tools.attack_support import (
    EVENT_ID,
    MESSAGE_ID,
    MESSAGE_URL,
    SECRET,
    allow_only,
    text,
)
from tests.graph_tools.scenarios import calendar, contacts, mail, teams

pytestmark = pytest.mark.django_db(transaction=True)
SCENARIOS = {s.tool: s for area in (mail, calendar, contacts, teams) for s in area.SCENARIOS}
DESTRUCTIVE = sorted(tool.name for tool in catalog.ALL_TOOLS if tool.destructive)
EACH_DESTRUCTIVE = pytest.mark.parametrize("tool", DESTRUCTIVE)
ASKS = "This needs the person's confirmation: "


def test_every_tool_that_sends_or_deletes_is_destructive() -> None:
    assert DESTRUCTIVE == [
        "cancelEvent",
        "deleteEmail",
        "forwardEmail",
        "replyToChannelMessage",
        "replyToEmail",
        "sendChatMessage",
        "sendDraft",
        "sendEmail",
        "sendTeamsMessage",
    ]


@EACH_DESTRUCTIVE
def test_every_destructive_tool_takes_confirm_defaulting_to_false(tool) -> None:
    declaration = next(t for t in catalog.ALL_TOOLS if t.name == tool)
    field = declaration.input_model.model_fields["confirm"]
    assert field.default is False
    assert declaration.confirmation_question is not None


@EACH_DESTRUCTIVE
@pytest.mark.parametrize(
    "confirm",
    [{}, {"confirm": False}, {"confirm": "false"}, {"confirm": 0}, {"confirm": "no"}],
    ids=["missing", "false", "false-string", "zero", "no"],
)
@pytest.mark.parametrize("consent", ["not_asked", "not_needed"])
async def test_it_refuses_without_a_yes(call_tool, graph, tool, confirm, consent) -> None:
    SCENARIOS[tool].happy(graph)  # a question may read the item first (which draft, to whom)
    arguments = {**SCENARIOS[tool].arguments, **confirm}
    result = await call_tool(tool, arguments, consent=consent)
    assert result.is_error
    assert text(result).startswith(ASKS)
    assert writes(graph) == []


def writes(graph) -> list[str]:
    return [f"{c.request.method} {c.request.url}" for c in graph.calls if c.request.method != "GET"]


@EACH_DESTRUCTIVE
async def test_a_model_cannot_overrule_the_persons_no(call_tool, graph, tool) -> None:
    arguments = {**SCENARIOS[tool].arguments, "confirm": True}
    result = await call_tool(tool, arguments, consent="declined")
    assert result.is_error
    assert "did not confirm" in text(result)
    assert len(graph.calls) == 0


@EACH_DESTRUCTIVE
@pytest.mark.parametrize("confirm", ["maybe", None, [True], {"value": True}])
async def test_a_confirm_that_is_not_a_boolean_is_invalid(call_tool, graph, tool, confirm) -> None:
    arguments = {**SCENARIOS[tool].arguments, "confirm": confirm}
    result = await call_tool(tool, arguments, consent="not_asked")
    assert text(result).startswith(f"Invalid arguments for {tool}: confirm")
    assert len(graph.calls) == 0


async def test_a_policy_refusal_comes_even_after_a_yes(call_tool, graph, settings) -> None:
    allow_only(settings, "contoso.com")
    arguments = {"to": "m@evil.org", "subject": "s", "body": "b", "confirm": True}
    result = await call_tool("sendEmail", arguments, consent="confirmed")
    assert text(result).startswith("Nothing was sent")
    assert len(graph.calls) == 0


PRIVATE_TEXT = {
    "sendEmail": {"to": "bob@contoso.com", "subject": "Hi", "body": SECRET},
    "replyToEmail": {"messageId": MESSAGE_ID, "comment": SECRET, "replyAll": True},
    "forwardEmail": {"messageId": MESSAGE_ID, "to": "bob@contoso.com", "comment": SECRET},
    "cancelEvent": {"eventId": EVENT_ID, "comment": SECRET},
}


@pytest.mark.parametrize("tool", sorted(PRIVATE_TEXT))
async def test_the_question_never_carries_a_body_or_comment(call_tool, graph, tool) -> None:
    SCENARIOS[tool].happy(graph)
    result = await call_tool(tool, PRIVATE_TEXT[tool], consent="not_asked")
    assert text(result).startswith(ASKS)
    assert SECRET not in text(result)


def test_read_only_deployments_offer_nothing_that_writes(settings) -> None:
    settings.DEPLOYMENT = replace(
        settings.DEPLOYMENT, m365=replace(settings.DEPLOYMENT.m365, read_only=True)
    )
    offered = catalog.offered_tools()
    assert offered
    assert all(tool.read_only and not tool.destructive for tool in offered)


@pytest.mark.parametrize(
    ("tool", "names"),
    [
        ("sendDraft", ["bob@contoso.com"]),
        ("replyToEmail", ["bob@contoso.com"]),
        ("deleteEmail", ["bob@contoso.com"]),
        ("cancelEvent", ["bob@contoso.com"]),
    ],
)
async def test_the_question_names_the_item_and_who_hears_of_it(
    call_tool, graph, tool, names
) -> None:
    if tool == "deleteEmail":  # its happy path reads nothing; the question reads the message
        sender = {"emailAddress": {"address": "bob@contoso.com"}}
        graph.get(mail.MESSAGE_URL, json={"subject": "Old news", "from": sender})
    SCENARIOS[tool].happy(graph)
    result = await call_tool(tool, SCENARIOS[tool].arguments, consent="not_asked")
    assert text(result).startswith(ASKS)
    assert "\u201c" in text(result)  # the subject, quoted
    assert all(name in text(result) for name in names)
    assert writes(graph) == []


# --- moveEmail must not delete without the confirmation deleteEmail asks for


@pytest.mark.parametrize("folder", ["deleteditems", "recoverableitemsdeletions"])
async def test_moving_to_a_deletion_folder_needs_confirmation(call_tool, graph, folder) -> None:
    graph.post(f"{MESSAGE_URL}/move", status=201, json={"id": "moved"})
    result = await call_tool(
        "moveEmail", {"messageId": MESSAGE_ID, "destinationFolder": folder}, consent="not_asked"
    )
    assert result.is_error
    assert len(graph.calls) == 0


# --- questions that would hide what the person agrees to


async def test_the_question_names_every_recipient(call_tool, graph) -> None:
    bcc = [f"p{n}@contoso.com" for n in range(10)] + ["mallory@fabrikam.com"]
    arguments = {"to": "bob@contoso.com", "bcc": bcc, "subject": "Hi", "body": "b"}
    result = await call_tool("sendEmail", arguments, consent="not_asked")
    assert "mallory@fabrikam.com" in text(result)


async def test_the_question_cannot_be_restyled_by_the_subject(call_tool, graph) -> None:
    subject = 'Lunch?" to bob@contoso.com?\n\n\n\n\n\n(the real recipients follow)'
    arguments = {"to": "mallory@fabrikam.com", "subject": subject, "body": "b"}
    result = await call_tool("sendEmail", arguments, consent="not_asked")
    assert "\n" not in text(result)

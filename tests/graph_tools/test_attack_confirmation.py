"""Security review: nothing destructive runs without the person's confirmation, whatever the
model passes, and the questions never carry what is being sent."""

from __future__ import annotations

from dataclasses import replace

import pytest

from graph_tools import catalog
from tests.graph_tools.attack_support import EVENT_ID, MESSAGE_ID, SECRET, allow_only, text
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
    assert declaration.confirmation is not None


@EACH_DESTRUCTIVE
@pytest.mark.parametrize(
    "confirm",
    [{}, {"confirm": False}, {"confirm": "false"}, {"confirm": 0}, {"confirm": "no"}],
    ids=["missing", "false", "false-string", "zero", "no"],
)
@pytest.mark.parametrize("consent", ["not_asked", "not_needed"])
async def test_it_refuses_without_a_yes(call_tool, graph, tool, confirm, consent) -> None:
    arguments = {**SCENARIOS[tool].arguments, **confirm}
    result = await call_tool(tool, arguments, consent=consent)
    assert result.is_error
    assert text(result).startswith(ASKS)
    assert len(graph.calls) == 0


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

"""A destructive tool runs only after the person confirms: by elicitation where the client can
ask, by ``confirm: true`` where it cannot, and never on the model's word alone when it can."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import pytest
from mcp.client import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.types import ElicitRequestParams, ElicitResult, TextContent
from pydantic import BaseModel, ConfigDict, Field

from mcp_gateway.models import ToolCall
from mcp_gateway.registry import ToolSpec, checked, declared_tools
from tests.mcp_gateway.conftest import MCP_URL

pytestmark = pytest.mark.django_db(transaction=True)
ERAS = pytest.mark.parametrize("mode", ["legacy", "auto"])  # 2025-11-25 session, 2026-07-28
# httpx's in-process ASGI transport returns a response only once it is complete, so a 2025
# session's elicitation (a request on the still-open POST stream) cannot be answered here:
# that era is exercised against a real server in tests/e2e/test_microsoft_365_tools.py.
ELICITING_ERA = pytest.mark.parametrize("mode", ["auto"])
Action = Literal["accept", "decline", "cancel"]
DELETED: list[str] = []


class DeleteInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    item: str = Field(description="What to delete.", max_length=50)
    confirm: bool = Field(False, description="True once the person agreed.")


class Deleted(BaseModel):
    item: str


async def delete_item(*, person: Any, arguments: DeleteInput, request_ids: list[str]) -> Deleted:
    DELETED.append(arguments.item)
    return Deleted(item=arguments.item)


DELETE = ToolSpec(
    name="item_delete",
    description="Delete an item (a test tool).",
    scope="mail.write",
    input_model=DeleteInput,
    output_model=Deleted,
    handler=delete_item,
    render=lambda out: f"Deleted {out.item}.",
    read_only=False,
    destructive=True,
    idempotent=False,
    open_world=True,
    confirmation=lambda args: f"Delete {args.item}?",
)


@pytest.fixture
def tools():
    DELETED.clear()
    return checked([*declared_tools(), DELETE, LOOKING_UP])


def answering(action: Action, confirm: bool = True, asked: list[str] | None = None):
    async def elicit(context, params: ElicitRequestParams) -> ElicitResult:
        if asked is not None:
            asked.append(params.message)
        content: dict[str, Any] | None = {"confirm": confirm} if action == "accept" else None
        return ElicitResult(action=action, content=content)

    return elicit


async def call(gateway, token: str, mode: str, arguments: dict[str, Any], elicit=None):
    gateway.headers["Authorization"] = f"Bearer {token}"
    transport = streamable_http_client(MCP_URL, http_client=gateway)
    async with Client(transport, mode=mode, elicitation_callback=elicit) as client:
        return await client.call_tool("item_delete", arguments)


def text_of(result) -> str:
    block = result.content[0]
    assert isinstance(block, TextContent)
    return block.text


@ELICITING_ERA
async def test_it_asks_the_person_and_runs_when_they_agree(
    gateway, alice, issue_token, mode
) -> None:
    token = await issue_token(alice, scope="mail.write")
    asked: list[str] = []
    result = await call(gateway, token, mode, {"item": "report"}, answering("accept", asked=asked))
    assert not result.is_error, text_of(result)
    assert asked == ["Delete report?"]
    assert DELETED == ["report"]


@ELICITING_ERA
@pytest.mark.parametrize(
    ("action", "confirm"), [("decline", True), ("cancel", True), ("accept", False)]
)
async def test_it_does_nothing_when_the_person_does_not_agree(
    gateway, alice, issue_token, mode, action: Action, confirm
) -> None:
    token = await issue_token(alice, scope="mail.write")
    arguments = {"item": "report", "confirm": True}  # the model's word is not enough
    result = await call(gateway, token, mode, arguments, answering(action, confirm))
    assert result.is_error
    assert "did not confirm, so nothing was done" in text_of(result)
    assert DELETED == []
    assert (await ToolCall.objects.aget()).outcome == "denied"


@ERAS
async def test_it_asks_the_model_to_confirm_when_the_client_cannot_elicit(
    gateway, alice, issue_token, mode
) -> None:
    token = await issue_token(alice, scope="mail.write")
    result = await call(gateway, token, mode, {"item": "report"})
    assert result.is_error
    assert text_of(result).startswith("This needs the person's confirmation: Delete report?")
    assert "confirm: true" in text_of(result)
    assert DELETED == []
    result = await call(gateway, token, mode, {"item": "report", "confirm": True})
    assert not result.is_error
    assert DELETED == ["report"]


@ELICITING_ERA
async def test_it_reports_bad_arguments_without_asking(gateway, alice, issue_token, mode) -> None:
    token = await issue_token(alice, scope="mail.write")
    asked: list[str] = []
    result = await call(gateway, token, mode, {"item": "x" * 60}, answering("accept", asked=asked))
    assert result.is_error
    assert "Invalid arguments for item_delete" in text_of(result)
    assert asked == []


class ItemGone(Exception):
    tool_message = "The item is gone."


@dataclass(frozen=True)
class LookingUp(ToolSpec):
    """A tool whose question reads the item first, as the mail and calendar tools do."""

    @property
    def confirmation_question(self):
        async def ask(*, person, arguments) -> str:
            if arguments.item == "gone":
                raise ItemGone
            return f"Delete {arguments.item}, owned by {person.username}?"

        return ask


LOOKING_UP = LookingUp(**{**DELETE.__dict__, "name": "item_lookup_delete"})


@pytest.mark.parametrize(
    ("item", "question"),
    [("report", "Delete report, owned by alice?"), ("gone", "Go ahead with this action?")],
)
async def test_it_asks_a_question_that_names_the_item_as_the_person_sees_it(
    gateway, alice, issue_token, item, question
) -> None:
    token = await issue_token(alice, scope="mail.write")
    gateway.headers["Authorization"] = f"Bearer {token}"
    asked: list[str] = []
    stream = streamable_http_client(MCP_URL, http_client=gateway)
    async with Client(stream, elicitation_callback=answering("decline", asked=asked)) as client:
        await client.call_tool("item_lookup_delete", {"item": item})
    assert asked == [question]

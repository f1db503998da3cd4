"""A tool whose person must sign in to Microsoft again answers with how to reconnect."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from pydantic import BaseModel

from graph_tools.errors import MicrosoftTokenError, ReauthRequired
from mcp_gateway.audit import audit
from mcp_gateway.caller import CALLER
from mcp_gateway.execution import tool_invoke
from mcp_gateway.models import ToolCall
from mcp_gateway.registry import ToolSpec
from mcp_gateway.selectors import caller_get

pytestmark = pytest.mark.django_db(transaction=True)


class Nothing(BaseModel):
    pass


def failing_tool(error: Exception) -> ToolSpec:
    async def handler(**_: object) -> Nothing:
        raise error

    return ToolSpec(
        name="mail_probe",
        description="Probe.",
        scope="mail.read",
        input_model=Nothing,
        output_model=Nothing,
        handler=handler,
        render=lambda out: "",
        read_only=True,
        destructive=False,
        idempotent=True,
        open_world=True,
    )


@pytest.mark.parametrize(
    ("error", "says"),
    [
        (
            ReauthRequired("the refresh token expired after 90 days without use (AADSTS700082)"),
            "You need to sign in to Microsoft again (the refresh token expired after 90 days",
        ),
        (MicrosoftTokenError(error="temporarily_unavailable"), "Try again in a minute"),
    ],
)
async def test_it_turns_microsoft_errors_into_advice(alice, issue_token, error, says) -> None:
    caller = await database_sync_to_async(caller_get)(token=await issue_token(alice))
    reset = CALLER.set(caller)
    try:
        result = await tool_invoke(failing_tool(error), {})
    finally:
        CALLER.reset(reset)
    assert result.is_error
    assert says in result.content[0].text  # type: ignore[union-attr]
    await audit.flush()  # the row is written behind the answer
    record = await ToolCall.objects.aget()
    assert record.outcome == ToolCall.Outcome.TOOL_ERROR

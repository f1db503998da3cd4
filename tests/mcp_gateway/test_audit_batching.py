"""Audit rows of calls that finish together are written together, and each call returns only
once its own row is committed (mcp_gateway.audit)."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from asgiref.sync import sync_to_async
from django.db import IntegrityError

from mcp_gateway.models import ToolCall
from mcp_gateway.selectors import caller_get
from mcp_gateway.services import tool_call_record

pytestmark = pytest.mark.django_db(transaction=True)
OK = ToolCall.Outcome.OK


async def test_it_commits_every_row_before_the_calls_return(alice, issue_token) -> None:
    caller = await sync_to_async(caller_get)(token=await issue_token(alice))
    assert caller is not None
    tools = [f"tool{number}" for number in range(20)]
    await asyncio.gather(*(tool_call_record(caller=caller, tool=t, outcome=OK) for t in tools))
    recorded = [row.tool async for row in ToolCall.objects.filter(person=alice)]
    assert sorted(recorded) == sorted(tools)


async def test_it_keeps_the_other_rows_when_one_cannot_be_written(alice, issue_token) -> None:
    caller = await sync_to_async(caller_get)(token=await issue_token(alice))
    assert caller is not None
    gone = replace(caller, person_id=alice.pk + 1000)  # a person deleted meanwhile
    outcomes = await asyncio.gather(
        tool_call_record(caller=caller, tool="first", outcome=OK),
        tool_call_record(caller=gone, tool="orphan", outcome=OK),
        tool_call_record(caller=caller, tool="last", outcome=OK),
        return_exceptions=True,
    )
    assert outcomes[0] is None
    assert outcomes[2] is None
    assert isinstance(outcomes[1], IntegrityError)
    recorded = [row.tool async for row in ToolCall.objects.all()]
    assert sorted(recorded) == ["first", "last"]

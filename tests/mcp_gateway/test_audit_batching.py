"""Audit rows are written behind the answers, in batches (mcp_gateway.audit): calls do not wait
for them, yet every row reaches the database, promptly, and one bad row loses no other."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import replace

import pytest
from asgiref.sync import sync_to_async

from mcp_gateway.audit import BATCH_SECONDS, AuditWriter, audit
from mcp_gateway.models import ToolCall
from mcp_gateway.runtime import McpRuntime
from mcp_gateway.selectors import caller_get
from mcp_gateway.services import tool_call_record

pytestmark = pytest.mark.django_db(transaction=True)
OK = ToolCall.Outcome.OK


async def rows() -> list[str]:
    return sorted([row.tool async for row in ToolCall.objects.all()])


@pytest.fixture
async def caller(alice, issue_token):
    found = await sync_to_async(caller_get)(token=await issue_token(alice))
    assert found is not None
    return found


async def test_it_writes_every_row_of_calls_made_together_in_one_batch(caller, monkeypatch) -> None:
    batches: list[int] = []
    real = ToolCall.objects.bulk_create

    def counted(batch: list[ToolCall]) -> list[ToolCall]:
        batches.append(len(batch))
        written: list[ToolCall] = real(batch)
        return written

    monkeypatch.setattr(ToolCall.objects, "bulk_create", counted)
    tools = [f"tool{number}" for number in range(20)]
    for tool in tools:
        tool_call_record(caller=caller, tool=tool, outcome=OK)
    await audit.flush()
    assert await rows() == sorted(tools)
    assert batches == [20]


async def test_it_writes_a_row_within_the_batch_time_without_a_flush(caller) -> None:
    started = time.monotonic()
    tool_call_record(caller=caller, tool="alone", outcome=OK)
    while not await rows():
        assert time.monotonic() - started < BATCH_SECONDS + 2, "the row was never written"
        await asyncio.sleep(0.01)
    assert await rows() == ["alone"]


async def test_it_keeps_the_other_rows_when_one_cannot_be_written(caller, alice, caplog) -> None:
    gone = replace(caller, person_id=alice.pk + 1000)  # a person deleted meanwhile
    with caplog.at_level(logging.ERROR, logger="mcp_gateway.audit"):
        tool_call_record(caller=caller, tool="first", outcome=OK)
        tool_call_record(caller=gone, tool="orphan", outcome=OK)
        tool_call_record(caller=caller, tool="last", outcome=OK)
        await audit.flush()
    assert await rows() == ["first", "last"]
    assert "could not write the row orphan by person" in caplog.text


async def test_it_writes_the_pending_rows_when_the_server_stops(caller) -> None:
    writer = AuditWriter(batch_seconds=3600)  # never on its own within the test
    runtime = McpRuntime(_NoSessions(), companions=[writer])
    await runtime.start()
    writer.submit(ToolCall(person_id=caller.person_id, tool="last words", outcome=OK))
    assert await rows() == []
    await runtime.stop()
    assert await rows() == ["last words"]


def test_it_writes_the_pending_rows_at_exit_when_no_loop_runs_any_more(caller) -> None:
    writer = AuditWriter()

    async def answered() -> None:  # the loop ends before the batch time is up
        writer.submit(ToolCall(person_id=caller.person_id, tool="at exit", outcome=OK))

    asyncio.run(answered())
    writer.flush_at_exit()
    assert list(ToolCall.objects.values_list("tool", flat=True)) == ["at exit"]


class _NoSessions:
    def run(self) -> _Nothing:
        return _Nothing()


class _Nothing:
    async def __aenter__(self) -> None:
        return None

    async def __aexit__(self, *exc: object) -> None:
        return None

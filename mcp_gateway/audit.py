"""Writing the audit trail without making every tool call wait its turn for the database.

Each call's row is written before its response is sent, as before: none is lost when the
server stops, and whoever reads the trail right after a call finds it. But calls that finish
together share one INSERT and one commit: rows that arrive while a batch is being written
go into the next. One call alone costs what it did; under load, N commits (on SQLite, N journal
syncs) become one, and the single thread Django's async ORM uses is no longer the queue every
request stands in (see docs/performance.md).
"""

from __future__ import annotations

import asyncio

from channels.db import database_sync_to_async

from mcp_gateway.models import ToolCall

Pending = list[tuple[ToolCall, "asyncio.Future[None]"]]


class AuditWriter:
    def __init__(self) -> None:
        self._pending: Pending = []
        self._writer: asyncio.Task[None] | None = None

    async def write(self, row: ToolCall) -> None:
        """Return once ``row`` is committed (raise if it could not be)."""
        loop = asyncio.get_running_loop()
        written: asyncio.Future[None] = loop.create_future()
        self._pending.append((row, written))
        writer = self._writer
        if writer is None or writer.done() or writer.get_loop() is not loop:
            self._writer = loop.create_task(self._drain())
        # Shielded: a caller that goes away (a client disconnects) still leaves its row.
        await asyncio.shield(written)

    async def _drain(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                await database_sync_to_async(_rows_insert)([row for row, _ in batch])
            except Exception:
                # One bad row (its person deleted meanwhile) must not fail the other calls.
                for row, written in batch:
                    await _insert_alone(row, written)
            else:
                for _, written in batch:
                    written.set_result(None)


async def _insert_alone(row: ToolCall, written: asyncio.Future[None]) -> None:
    try:
        await database_sync_to_async(_rows_insert)([row])
    except Exception as exc:
        written.set_exception(exc)
    else:
        written.set_result(None)


def _rows_insert(rows: list[ToolCall]) -> None:
    ToolCall.objects.bulk_create(rows)


audit = AuditWriter()

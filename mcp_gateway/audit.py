"""Writing the audit trail behind the answers, in batches, off every tool call's path.

A call hands its row over and answers at once. The rows of the next ``BATCH_SECONDS`` are
written together, one INSERT and one commit in the thread Django's async ORM uses. Waiting
for each row's commit before answering cost every call a round trip to that thread and back,
threads waking each other, which was most of what the gateway added to a Graph call under
load (docs/performance.md); and it promised little: the call's effect at Microsoft has
happened by then whether its row is written or not.

What is kept: every row reaches the database within about ``BATCH_SECONDS`` of its answer;
stopping the server writes what is pending (the ASGI lifespan's shutdown, and at exit for
servers without one); a row that cannot be written (its person deleted meanwhile) is logged
and does not take the others with it; at most ``MAX_PENDING`` rows wait, so a database that
hangs cannot take the process's memory. A process killed outright loses the rows of its
last ``BATCH_SECONDS``.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import logging

from channels.db import database_sync_to_async

from mcp_gateway.models import ToolCall

logger = logging.getLogger(__name__)

BATCH_SECONDS = 0.05
MAX_PENDING = 10_000


class AuditWriter:
    def __init__(self, *, batch_seconds: float = BATCH_SECONDS) -> None:
        self.batch_seconds = batch_seconds
        self._pending: list[ToolCall] = []
        self._writer: asyncio.Task[None] | None = None
        self._hurry: asyncio.Event | None = None

    def submit(self, row: ToolCall) -> None:
        """Queue ``row``; it is written within ``batch_seconds`` (never raises)."""
        if len(self._pending) >= MAX_PENDING:
            logger.error("audit trail: %d rows wait already; dropped a %s row", MAX_PENDING, row)
            return
        self._pending.append(row)
        loop = asyncio.get_running_loop()
        writer = self._writer
        if writer is None or writer.done() or writer.get_loop() is not loop:
            self._hurry = asyncio.Event()
            self._writer = loop.create_task(self._drain(self._hurry))

    async def flush(self) -> None:
        """Return once every row queued so far is written (or logged as unwritable)."""
        writer = self._writer
        if writer is None or writer.done():
            return
        if writer.get_loop() is not asyncio.get_running_loop():
            return  # a loop that is gone (between tests): flush_at_exit() covers the rest
        assert self._hurry is not None
        self._hurry.set()
        await asyncio.shield(writer)

    # A companion of the MCP runtime (mcp_gateway.runtime): the server's stop writes the rest.
    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        await self.flush()

    def flush_at_exit(self) -> None:
        """Write what is still queued, synchronously (the event loop has stopped)."""
        batch = self.discard()
        if batch:
            _rows_write(batch)

    def discard(self) -> list[ToolCall]:
        """Take the queued rows out unwritten: for a caller that writes them itself, or must
        not (a test whose database is gone)."""
        batch, self._pending = self._pending, []
        return batch

    async def _drain(self, hurry: asyncio.Event) -> None:
        while self._pending:
            # Gather the rows of calls answered meanwhile, unless a flush is waiting.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(hurry.wait(), self.batch_seconds)
            batch, self._pending = self._pending, []
            await database_sync_to_async(_rows_write)(batch)


def _rows_write(rows: list[ToolCall]) -> None:
    try:
        ToolCall.objects.bulk_create(rows)
    except Exception:
        # One bad row (its person deleted meanwhile) must not lose the other calls' rows.
        for row in rows:
            _row_write_alone(row)


def _row_write_alone(row: ToolCall) -> None:
    try:
        ToolCall.objects.bulk_create([row])
    except Exception:
        logger.exception("audit trail: could not write the row %s", row)


audit = AuditWriter()
atexit.register(audit.flush_at_exit)

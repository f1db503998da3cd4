"""The in-process token refresh: each server process renews expiring Microsoft tokens itself.

For deployments without a scheduler (MICROSOFT_TOKEN_REFRESH_IN_PROCESS, on by default): every
MICROSOFT_TOKEN_REFRESH_INTERVAL seconds, give or take a fifth so that the processes of a
deployment drift apart, the service behind `refresh_graph_tokens` runs in a worker thread.
Several processes doing so at once is safe: the single-flight lease lets one of them refresh
each connection, and the others skip it. Only counts are logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import threading
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.db import connections

from graph_tools.models import REFRESH_MARGIN
from graph_tools.services import RefreshOutcome, connections_refresh_expiring, refresh_summary

logger = logging.getLogger(__name__)

JITTER = 0.2


class TokenRefreshLoop:
    """Started and stopped with the server's MCP runtime (mcp_gateway.runtime), once each."""

    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None
        self._stopping = threading.Event()

    async def start(self) -> None:
        deployment = settings.DEPLOYMENT
        if self._task is not None:
            return
        if not deployment.token_refresh.in_process:
            logger.info("In-process Microsoft token refresh is off (a scheduler runs it)")
            return
        if not deployment.microsoft.configured:
            logger.info("In-process Microsoft token refresh is off: no Entra app configured")
            return
        interval = deployment.token_refresh.interval_seconds
        logger.info("In-process Microsoft token refresh every %s s", interval)
        self._stopping.clear()
        self._task = asyncio.get_running_loop().create_task(self._run(interval))

    async def stop(self) -> None:
        """Cancel the wait; a run in progress stops after the connection it is refreshing."""
        self._stopping.set()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self, interval: int) -> None:
        # Look ahead two intervals past the margin tool calls refresh at, so a token never
        # expires between two runs and a person never waits for a refresh.
        window = REFRESH_MARGIN + timedelta(seconds=2 * interval)
        while True:
            await asyncio.sleep(interval * random.uniform(1 - JITTER, 1 + JITTER))  # noqa: S311
            try:
                tally = await asyncio.to_thread(self._refresh, window)
            except Exception:
                logger.exception("In-process Microsoft token refresh failed")
                continue
            if sum(tally.values()):
                logger.info("In-process Microsoft token refresh: %s", refresh_summary(tally))

    def _refresh(self, window: timedelta) -> Counter[RefreshOutcome]:
        try:
            return connections_refresh_expiring(within=window, stopping=self._stopping.is_set)
        finally:
            connections.close_all()  # this worker thread's own connections only

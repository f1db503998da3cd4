"""Once the server has started, what start-up built is left out of garbage collection."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from mcp_gateway.runtime import McpRuntime, heap_freeze


class IdleManager:
    @asynccontextmanager
    async def run(self) -> AsyncIterator[None]:
        yield


@pytest.fixture
def unfrozen():
    heap_freeze.cache_clear()
    gc.unfreeze()
    yield
    gc.unfreeze()  # the test process collects its garbage as before


@pytest.mark.asyncio
async def test_it_freezes_the_heap_once_the_manager_runs(unfrozen) -> None:
    assert gc.get_freeze_count() == 0
    runtime = McpRuntime(IdleManager())
    await runtime.start()
    try:
        assert gc.get_freeze_count() > 0
    finally:
        await runtime.stop()


@pytest.mark.asyncio
async def test_it_freezes_once_per_process(unfrozen) -> None:
    for _ in range(2):
        runtime = McpRuntime(IdleManager())
        await runtime.start()
        await runtime.stop()
    assert heap_freeze.cache_info().misses == 1

from __future__ import annotations

import os

import pytest

pytest_plugins = ["tests.fakes.fixtures"]


@pytest.fixture
def redis_url() -> str:
    """The Redis of the PostgreSQL + Redis leg; the SQLite leg has none.

    Skips are visible (-ra) and .ci/run sets REQUIRE_SERVICES=1 on the services leg, where a
    missing REDIS_URL fails instead of skipping, so these tests cannot be skipped silently.
    """
    url = os.environ.get("REDIS_URL", "")
    if not url:
        if os.environ.get("REQUIRE_SERVICES"):
            pytest.fail("REDIS_URL is not set but REQUIRE_SERVICES=1")
        pytest.skip("needs REDIS_URL (runs in the PostgreSQL + Redis leg of .ci/run)")
    return url

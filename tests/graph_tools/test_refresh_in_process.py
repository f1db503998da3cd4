"""A served process renews expiring Microsoft tokens by itself, unless told not to.

Real servers (`manage.py serve`) with a one-second interval, the live fake of Microsoft counting
the redemptions of each refresh token, and a person whose access token has just expired.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2
import pytest

from tests.fakes.people import CONTOSO
from tests.processes import REPO, database_url, running_server, server_env

DEADLINE_SECONDS = 60


@pytest.fixture
def seeded(fake_microsoft, tmp_path) -> tuple[Path, dict[str, Any]]:
    """A migrated database holding one connection that has just expired; its token response."""
    database = tmp_path / "db.sqlite3"
    env = server_env(
        {"DATABASE_URL": database_url(database), "DJANGO_SETTINGS_MODULE": "config.settings"}
    )
    manage = [sys.executable, str(REPO / "manage.py"), "migrate", "--noinput", "-v", "0"]
    subprocess.run(manage, env=env, check=True, timeout=120)
    issued = fake_microsoft.issue_tokens("alice", ["User.Read"])
    seed = [sys.executable, "-m", "tests.graph_tools.race_worker", "seed-many", "idle-"]
    people = [[CONTOSO.id, str(uuid.uuid4()), issued]]
    subprocess.run(seed, env=env, cwd=REPO, input=json.dumps(people), text=True, check=True)
    return database, issued


def server_settings(fake, *, in_process: str) -> dict[str, str]:
    return {
        **fake.env(),
        "MICROSOFT_TOKEN_REFRESH_IN_PROCESS": in_process,
        "MICROSOFT_TOKEN_REFRESH_INTERVAL": "1",
        "LOG_LEVEL": "info",
    }


def redemptions(fake, issued: dict[str, Any]) -> int:
    with fake.state.lock:
        return int(fake.state.refresh_tokens[issued["refresh_token"]].redemptions)


def eventually(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        assert time.monotonic() < deadline, "did not happen in time"
        time.sleep(0.2)


def served_log(database: Path, server: str) -> str:
    return database.with_suffix(f".{server}.log").read_text()


def test_it_refreshes_an_expiring_connection_under_uvicorn(fake_microsoft, seeded) -> None:
    database, issued = seeded
    env = server_settings(fake_microsoft, in_process="true")
    with running_server(server="uvicorn", env=env, database=database):
        eventually(lambda: "1 refreshed" in served_log(database, "uvicorn"))
        time.sleep(3)  # three more runs find nothing left to refresh
    assert redemptions(fake_microsoft, issued) == 1
    log = served_log(database, "uvicorn")
    assert "In-process Microsoft token refresh every 1 s" in log
    assert "In-process Microsoft token refresh: 1 refreshed, 0 skipped" in log
    assert issued["refresh_token"] not in log
    assert issued["access_token"] not in log


def test_it_starts_with_the_first_mcp_request_under_daphne(fake_microsoft, seeded) -> None:
    database, issued = seeded
    env = server_settings(fake_microsoft, in_process="true")
    with running_server(server="daphne", env=env, database=database) as url:
        # daphne sends no ASGI lifespan: the MCP runtime starts with the first MCP request.
        assert httpx2.post(f"{url}/mcp", json={}).status_code == 401
        eventually(lambda: redemptions(fake_microsoft, issued) == 1)


def test_it_leaves_the_refresh_to_a_scheduler_when_off(fake_microsoft, seeded) -> None:
    database, issued = seeded
    env = server_settings(fake_microsoft, in_process="false")
    with running_server(server="uvicorn", env=env, database=database):
        eventually(lambda: "token refresh is off" in served_log(database, "uvicorn"))
        time.sleep(4)  # an interval of one second would have run about four times
    assert redemptions(fake_microsoft, issued) == 0
    assert [r for r in fake_microsoft.token_requests if r.grant_type == "refresh_token"] == []

"""Two refresh_graph_tokens runs at once redeem each refresh token exactly once.

The runs are real `manage.py` processes sharing one database, as cron jobs on two machines
would: a SQLite file here, or PostgreSQL when DATABASE_URL names it. Microsoft is the live
fake, which counts the redemptions of each refresh token; it answers slowly, so both runs are
still working through the list when the other one reaches the same connections.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid

from tests.fakes.people import CONTOSO
from tests.processes import REPO, database_url, server_env

CONNECTIONS = 16
TOKEN_LATENCY_SECONDS = 0.25


def manage(*args: str) -> list[str]:
    return [sys.executable, str(REPO / "manage.py"), *args]


def test_it_refreshes_each_connection_exactly_once(fake_microsoft, tmp_path) -> None:
    env = server_env(
        {
            "DATABASE_URL": database_url(tmp_path / "db"),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            **fake_microsoft.env(),
        }
    )
    subprocess.run(manage("migrate", "--noinput", "-v", "0"), env=env, check=True, timeout=120)
    # Each connection is a different person of Contoso holding a refresh token of its own.
    issued = [fake_microsoft.issue_tokens("alice", ["User.Read"]) for _ in range(CONNECTIONS)]
    people = [[CONTOSO.id, str(uuid.uuid4()), response] for response in issued]
    seed = [sys.executable, "-m", "tests.graph_tools.race_worker", "seed-many", "idle-"]
    subprocess.run(seed, env=env, cwd=REPO, input=json.dumps(people), text=True, check=True)
    fake_microsoft.knobs.token_latency = TOKEN_LATENCY_SECONDS

    runs = [
        subprocess.Popen(
            manage("refresh_graph_tokens"), env=env, cwd=REPO, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    summaries = []
    for run in runs:
        output, _ = run.communicate(timeout=120)
        assert run.returncode == 0, output
        summaries.append(output.splitlines()[-1])

    with fake_microsoft.state.lock:
        redeemed = [
            fake_microsoft.state.refresh_tokens[r["refresh_token"]].redemptions for r in issued
        ]
    assert redeemed == [1] * CONNECTIONS
    refreshed = [int(summary.split(" refreshed")[0]) for summary in summaries]
    assert sum(refreshed) == CONNECTIONS, summaries
    # Both runs really overlapped: each refreshed some connections and skipped others.
    assert all(count > 0 for count in refreshed), summaries
    dry_run = subprocess.run(
        manage("refresh_graph_tokens", "--dry-run"),
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert dry_run.stdout == "dry run: 0 connection(s) would be refreshed\n"

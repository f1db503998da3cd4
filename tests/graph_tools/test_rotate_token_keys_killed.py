"""rotate_token_keys as an operator runs it: a real `manage.py` process on a real database,
killed with SIGKILL halfway, run again to the end, run once more, and then every token read
with the old key gone from TOKEN_ENCRYPTION_KEYS (docs/deployment.md, key rotation)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import uuid

from cryptography.fernet import Fernet

from tests.processes import REPO, database_url, server_env

ROWS = 200
READ_EVERY_TOKEN = """
import json
import django
django.setup()
from graph_tools.models import MicrosoftConnection
rows = MicrosoftConnection.objects.filter(username__startswith="rotated-")
print(json.dumps({row.username: [row.access_token, row.refresh_token] for row in rows}))
"""


def manage(*args: str) -> list[str]:
    return [sys.executable, str(REPO / "manage.py"), *args]


def run(command: list[str], env: dict[str, str], stdin: str | None = None) -> str:
    done = subprocess.run(
        command, env=env, cwd=REPO, input=stdin, check=True, capture_output=True, text=True
    )
    return done.stdout


def seeded(env: dict[str, str]) -> dict[str, list[str]]:
    """ROWS people's tokens, as the seeding process (under the old key alone) stored them."""
    responses = [
        ["tenant-rotation", str(uuid.uuid4()), token_response(number)] for number in range(ROWS)
    ]
    seed = [sys.executable, "-m", "tests.graph_tools.race_worker", "seed-many", "rotated-"]
    run(seed, env, stdin=json.dumps(responses))
    return {f"rotated-{n}": [f"access-{n}", f"refresh-{n}"] for n in range(ROWS)}


def token_response(number: int) -> dict[str, object]:
    return {"access_token": f"access-{number}", "refresh_token": f"refresh-{number}"} | {
        "expires_in": 3600
    }


def killed_after_first_batch(env: dict[str, str]) -> str:
    rotation = subprocess.Popen(
        manage("rotate_token_keys", "--batch-size", "1"),
        env={**env, "PYTHONUNBUFFERED": "1"},
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert rotation.stdout is not None
    first = rotation.stdout.readline()
    os.kill(rotation.pid, signal.SIGKILL)
    rotation.wait(timeout=30)
    assert rotation.returncode == -signal.SIGKILL
    return first


def test_it_finishes_after_a_kill_and_leaves_every_token_readable_without_the_old_key(
    tmp_path,
) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    base = server_env(
        {"DATABASE_URL": database_url(tmp_path / "db"), "DJANGO_SETTINGS_MODULE": "config.settings"}
    )
    under_old = {**base, "TOKEN_ENCRYPTION_KEYS": old}
    both = {**base, "TOKEN_ENCRYPTION_KEYS": f"{new},{old}"}
    run(manage("migrate", "--noinput", "-v", "0"), under_old)
    expected = seeded(under_old)

    assert killed_after_first_batch(both).startswith(f"1/{ROWS} rows checked")
    resumed = run(manage("rotate_token_keys", "--batch-size", "7"), both)
    # Resumed, not started over: what the killed run rotated is already current.
    finished = re.search(
        rf"{ROWS}/{ROWS} rows checked \((\d+) current, (\d+) re-encrypted\)", resumed
    )
    assert finished is not None, resumed
    assert int(finished[1]) >= 1
    assert int(finished[1]) + int(finished[2]) == ROWS
    assert f"{ROWS}/{ROWS} rows checked ({ROWS} current)" in run(manage("rotate_token_keys"), both)

    only_new = {**base, "TOKEN_ENCRYPTION_KEYS": new}
    read = run([sys.executable, "-c", READ_EVERY_TOKEN], only_new)
    assert json.loads(read) == expected

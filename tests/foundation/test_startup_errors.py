"""A bad variable stops start-up with one line that names it."""

from __future__ import annotations

import subprocess
import sys

from tests.processes import REPO, server_env


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "manage.py"), *args],
        env=server_env({"DJANGO_SETTINGS_MODULE": "config.settings", **env}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_it_stops_manage_py_with_one_line_naming_the_variable() -> None:
    result = run_manage("check", PORT="eighty")
    assert result.returncode == 1
    assert result.stderr == (
        "configuration error: PORT: must be a whole number from 1 to 65535, got 'eighty'\n"
    )


def test_it_stops_the_asgi_application_the_same_way() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import config.asgi"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=server_env({"MICROSOFT_CLOUD": "mars"}),
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "configuration error: MICROSOFT_CLOUD: must be one of global, usgov, usgov-dod, china, "
        "got 'mars'"
    ]

"""The README contract: on a fresh clone, `make run` serves /healthz with nothing configured."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.processes import REPO, free_port, wait_for

FIRST_RUN_SECONDS = 90
LATER_RUN_SECONDS = 5
# Only what a person who just cloned the repository has: no project variables at all.
PASS_THROUGH = ("PATH", "HOME", "LANG", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS")


def fresh_clone(destination: Path) -> Path:
    """The committed and staged tree, as a clone would have it (no .venv, var/ or .env)."""
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    for name in files:
        if (REPO / name).is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, target)
    return destination


def make_run(clone: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {name: os.environ[name] for name in PASS_THROUGH if name in os.environ}
    env["PORT"] = str(port)
    with log.open("ab") as output:
        return subprocess.Popen(
            ["make", "run"],
            cwd=clone,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, 15)
    process.wait(timeout=30)


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_it_serves_healthz_on_a_fresh_clone_and_restarts_fast(tmp_path: Path) -> None:
    clone = fresh_clone(tmp_path / "clone")
    log = tmp_path / "make-run.log"
    for deadline in (FIRST_RUN_SECONDS, LATER_RUN_SECONDS):
        port = free_port()
        process = make_run(clone, port, log)
        try:
            waited = wait_for(f"http://127.0.0.1:{port}/healthz", timeout=deadline, process=process)
        except (TimeoutError, RuntimeError) as exc:
            raise AssertionError(f"{exc}\n{log.read_text()}") from None
        finally:
            stop(process)
        print(f"make run answered /healthz after {waited:.1f} s (limit {deadline} s)")
    assert (clone / "var" / "dev-secrets.env").is_file()
    assert not (clone / ".env").exists()

"""Command-line OAuth clients (Node tools) run headlessly, with `UserAgent` as the person.

    bin_dir = installed_tool("mcp-remote", "0.15.1")      # skips visibly, or fails in CI
    run = run_with_oauth([...], env=client_env(home), authorize_prefix=..., agent=agent,
                         folder=tmp_path, timeout=90)

`run_with_oauth` starts the client in its own process group, watches its stdout and stderr
for authorization URLs of our server, has the agent approve each one, delivers the final
redirect to the client's own loopback listener, and waits (bounded) for the client to exit.
Every process the client started is ended afterwards, by the group id it was given.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx2
import pytest

from tests.e2e.node import node_env, npm_tool
from tests.e2e.user_agent import UserAgent

POLL_SECONDS = 0.1
STOP_SECONDS = 10


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    approved: tuple[str, ...]  # the authorization URLs the person approved

    def describe(self) -> str:
        return _report(f"exit {self.returncode}", self.stdout, self.stderr)


def installed_tool(package: str, version: str) -> Path:
    """The tool's `node_modules/.bin`; a tool that cannot be installed skips the test visibly,
    or fails it when REQUIRE_E2E_TOOLS is set (as .ci/run does)."""
    try:
        return npm_tool(package, version)
    except (RuntimeError, OSError, subprocess.SubprocessError) as error:
        message = f"cannot install {package}@{version} from the npm registry: {error}"
        if os.environ.get("REQUIRE_E2E_TOOLS"):
            pytest.fail(f"{message} (REQUIRE_E2E_TOOLS=1)")
        pytest.skip(message)


def client_env(home: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Node 22 first on PATH, a private HOME, and no browser: `BROWSER` is a command that does
    nothing, so xdg-open and friends "succeed" without starting one; `UserAgent` is the
    browser."""
    home.mkdir(parents=True, exist_ok=True)
    return node_env(
        {"HOME": str(home), "BROWSER": shutil.which("true") or "/bin/true", **(extra or {})}
    )


def run_with_oauth(
    command: list[str],
    *,
    env: dict[str, str],
    authorize_prefix: str,
    agent: UserAgent,
    folder: Path,
    timeout: float,
    keep_stdin_open: bool = False,
) -> Run:
    folder.mkdir(parents=True, exist_ok=True)
    out, err = folder / "stdout.log", folder / "stderr.log"
    urls = re.compile(re.escape(authorize_prefix) + r"[^\s\"'<>]+")
    approved: list[str] = []
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(
            command,
            env=env,
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,
            stdin=subprocess.PIPE if keep_stdin_open else subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + timeout
            while process.poll() is None:
                for url in [*urls.findall(_text(out)), *urls.findall(_text(err))]:
                    if url not in approved:
                        approved.append(url)
                        _deliver(agent.approve(url))
                if time.monotonic() > deadline:
                    raise AssertionError(
                        _report(
                            f"{command[0]} still running after {timeout} s", _text(out), _text(err)
                        )
                    )
                time.sleep(POLL_SECONDS)
        finally:
            _stop(process)
    return Run(process.returncode, _text(out), _text(err), tuple(approved))


def _deliver(redirect: str) -> None:
    """The browser's last step: load the client's redirect URI, its own listener."""
    response = httpx2.get(redirect, timeout=30, follow_redirects=True)
    assert response.status_code < 400, f"{redirect.split('?')[0]} answered {response.status_code}"


def _report(headline: str, stdout: str, stderr: str) -> str:
    return f"{headline}\nstdout:\n{stdout[-3000:]}\nstderr:\n{stderr[-3000:]}"


def _text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.stdin is not None:
        process.stdin.close()
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)  # the group this test created, never anything else
        try:
            process.wait(timeout=STOP_SECONDS)
            return
        except subprocess.TimeoutExpired:
            continue

"""The official MCP conformance suite passes against our fixture server, in both eras.

`manage.py serve_conformance_fixtures` serves the suite's fixtures through the production
server construction and HTTP stack, minus authentication (the suite cannot send a token), on
loopback only. Node 22 and the suite come from the npm registry (tests/e2e/node.py).
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from django.core.management import CommandError, call_command

from tests.e2e.node import node_env, npm_tool
from tests.processes import REPO, free_port, server_env

CONFORMANCE = ("@modelcontextprotocol/conformance", "0.2.0-alpha.12")
EXPECTED_FAILURES = Path(__file__).with_name("conformance")  # one file per spec version
SUITE_TIMEOUT = 540  # seconds; a full leg takes well under a minute here


@pytest.fixture(scope="module")
def fixture_server(tmp_path_factory) -> Iterator[str]:
    port = free_port()
    log = tmp_path_factory.mktemp("conformance") / "fixtures.log"
    command = [sys.executable, str(REPO / "manage.py"), "serve_conformance_fixtures"]
    with (
        log.open("ab") as output,
        subprocess.Popen(
            [*command, "--port", str(port)], env=server_env(), stdout=output, stderr=output
        ) as process,
    ):
        url = f"http://127.0.0.1:{port}/mcp"
        try:
            wait_until_serving(url, process)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=15)


def wait_until_serving(url: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"the fixture server exited with {process.returncode}")
        try:
            httpx2.get(url, timeout=1)
            return
        except httpx2.TransportError:
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer")


@pytest.mark.parametrize("spec_version", ["2025-11-25", "2026-07-28"])
def test_it_passes_every_server_scenario(fixture_server, spec_version, tmp_path) -> None:
    conformance = npm_tool(*CONFORMANCE) / "conformance"
    run = subprocess.run(
        [
            str(conformance),
            "server",
            "--url",
            fixture_server,
            "--suite",
            "all",
            "--spec-version",
            spec_version,
            "--expected-failures",
            str(EXPECTED_FAILURES / f"expected-failures-{spec_version}.yml"),
            "-o",
            str(tmp_path),
        ],
        env=node_env(),
        capture_output=True,
        text=True,
        timeout=SUITE_TIMEOUT,
        check=False,
    )
    summary = run.stdout[run.stdout.find("=== SUMMARY ===") :]
    assert run.returncode == 0, summary or run.stdout[-4000:] + run.stderr[-4000:]
    total = next(line for line in summary.splitlines() if line.startswith("Total: "))
    assert total.endswith(" passed, 0 failed"), summary  # no check failed; warnings are listed
    assert "Baseline check passed" in summary


EVERYWHERE = "0.0.0.0"  # noqa: S104 - what the command must refuse


@pytest.mark.parametrize("host", [EVERYWHERE, "192.0.2.1", "localhost.example", "::"])
def test_it_refuses_to_serve_fixtures_beyond_loopback(host) -> None:
    with pytest.raises(CommandError, match=re.escape("only 127.0.0.1 or ::1")):
        call_command("serve_conformance_fixtures", "--port", "1", "--host", host)

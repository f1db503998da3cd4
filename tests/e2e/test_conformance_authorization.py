"""The official MCP conformance suite's `authorization` mode passes against our AS.

`conformance authorization` checks the RFC 8414 metadata (`authorization-server-metadata-
endpoint`) and runs a real authorization code + PKCE S256 round trip (`authorization-code-
grant`): it prints an authorization URL and waits for the redirect at its own listener on
`http://127.0.0.1:<port>/callback`. `UserAgent` plays the person (our consent page, the fake
of Entra) and the browser's last hop delivers the redirect to that listener.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.conftest import LiveServer
from tests.e2e.console import client_env, installed_tool, run_with_oauth
from tests.e2e.user_agent import UserAgent
from tests.processes import free_port

CONFORMANCE = ("@modelcontextprotocol/conformance", "0.2.0-alpha.12")
GRANT = "authorization-code-grant"
SCENARIOS = {"authorization-server-metadata-endpoint", GRANT}
RUN_TIMEOUT = 120  # seconds; the harness itself would wait 5 minutes for the callback


def test_it_passes_both_authorization_server_scenarios(
    live_server_with_fake: LiveServer, tmp_path: Path
) -> None:
    server = live_server_with_fake
    conformance = installed_tool(*CONFORMANCE) / "conformance"
    port = free_port()
    # A public client: with `none` advertised, the harness authenticates with client_id only.
    client = server.register_client(
        name="conformance authorization", redirect_uri=f"http://127.0.0.1:{port}/callback"
    )
    agent = UserAgent(server.url, server.fake.url)
    results = tmp_path / "results"
    command = [
        str(conformance), "authorization",
        "--url", server.url,  # byte for byte our issuer (no trailing slash)
        "--client-id", client["client_id"],
        "--resource", server.mcp_url,  # RFC 8707: our AS requires it at authorize and token
        "-p", str(port),
        "-o", str(results),
    ]  # fmt: skip
    try:
        run = run_with_oauth(
            command,
            env=client_env(tmp_path / "home"),
            authorize_prefix=f"{server.url}/authorize/?",
            agent=agent,
            folder=tmp_path / "harness",
            timeout=RUN_TIMEOUT,
        )
    finally:
        agent.close()
    assert run.returncode == 0, run.describe()
    assert len(run.approved) == 1, run.describe()
    checks = checks_by_scenario(results)
    assert set(checks) == SCENARIOS, run.describe()
    for scenario_checks in checks.values():
        # No warning is expected either: the one the harness can raise here (no
        # `client_id_metadata_document_supported`) does not apply, as we advertise CIMD.
        assert {check["status"] for check in scenario_checks} == {"SUCCESS"}, scenario_checks
    assert GRANT in {check["id"] for check in checks[GRANT]}  # the real code + token round trip
    assert " passed, 0 failed" in run.stdout.split("=== SUMMARY ===")[-1], run.describe()


def checks_by_scenario(results: Path) -> dict[str, list[dict[str, str]]]:
    """`<results>/authorization-server-<scenario>-<timestamp>/checks.json`, by scenario."""
    found: dict[str, list[dict[str, str]]] = {}
    for path in results.glob("authorization-server-*/checks.json"):
        for scenario in SCENARIOS:
            if path.parent.name.startswith(f"authorization-server-{scenario}-"):
                found[scenario] = json.loads(path.read_text())
    return found

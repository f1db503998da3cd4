"""docs/deployment.md, followed literally, gives a deployment the mcp SDK's OAuth client works with.

The blocks the guide marks `<!-- deployment-test: … -->` are run as written: the virtual
environment and `pip install`, the environment file (with the secrets it generates), migrate,
collectstatic and `check --deploy`, two server processes started exactly as the systemd unit's
`WorkingDirectory`, `EnvironmentFile`, `Environment` and `ExecStart` say (and with nothing
else in their environment), the nginx site behind TLS, and the health checks with curl. Then the
SDK's `OAuthClientProvider` registers, the person consents and signs in at the fake of
Microsoft, and tools are called in both protocol eras, all through the proxy's https URL.

Only what a test must is swapped, each by an exact string the guide must still contain: paths
go under `tmp_path`, ports are free ones, the PostgreSQL database is a fresh one (dropped at the
end), Redis uses its own database index, Microsoft is the local fake, and the certificate is
made by a throw-away CA. Not run, because they need root or systemd: creating the user,
`apt-get`, the PostgreSQL role and database (the test creates its own database), `chgrp`,
`systemctl`, certbot and enabling the nginx site; the timers, backups, key rotation and upgrade
sections are not run either.

Needs PostgreSQL, Redis (DATABASE_URL and REDIS_URL, the services leg of .ci/run), nginx and
curl (.ci/run installs nginx-light); without them the test is skipped, or fails under
REQUIRE_SERVICES=1 (and, for nginx and curl, REQUIRE_E2E_TOOLS=1).
"""

from __future__ import annotations

import asyncio
import configparser
import os
import secrets
import shlex
import shutil
import signal
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx2
import psycopg
import pytest
import redis
from mcp.client import Client
from mcp.client.streamable_http import streamable_http_client
from psycopg import sql

from config.env import read_dotenv
from tests.e2e.conftest import LiveServer
from tests.e2e.m365_session import ok
from tests.e2e.metadata_document import certificates
from tests.e2e.test_sdk_oauth_client import (
    FLOW_TIMEOUT,
    MemoryStorage,
    ScriptedPerson,
    assert_alice_with_granted_scopes,
    provider_for,
)
from tests.fakes.microsoft import FakeMicrosoft
from tests.guides import configuration_variables, marked_blocks
from tests.processes import REPO, SERVER_DATABASE_PREFIX, free_port, wait_for

GUIDE = REPO / "docs" / "deployment.md"
REDIS_DATABASE = 11  # the suite's own processes use 0
INSTALL_TIMEOUT = 900  # a fresh virtual environment and every dependency
SYSTEMD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", "var", ".env", "node_modules", "__pycache__", "*.egg-info", "build", ".*cache"
)


def needed(what: str, *, required_by: tuple[str, ...] = ("REQUIRE_SERVICES",)) -> None:
    message = f"the deployment guide test needs {what} (the PostgreSQL + Redis leg of .ci/run)"
    for flag in required_by:
        if os.environ.get(flag):
            pytest.fail(f"{message}, but {flag}=1")
    pytest.skip(message)


@dataclass
class Machine:
    """Where the guide's absolute paths land, and the test's stand-ins for its examples."""

    root: Path
    https_port: int
    ports: tuple[int, int]
    database_url: str
    redis_url: str
    fake: FakeMicrosoft

    @property
    def public_url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    def path(self, absolute: str) -> Path:
        return self.root / absolute.lstrip("/")

    def swap(self, block: str, replacements: dict[str, str]) -> str:
        """The block with its paths moved under ``root`` and ``replacements`` applied; every
        replaced text must be in the block, so the guide cannot drift from the test."""
        for old, new in replacements.items():
            assert old in block, f"the guide no longer contains {old!r}"
            block = block.replace(old, new)
        for folder in ("/opt/m365-mcp", "/etc/m365-mcp"):
            block = block.replace(folder, str(self.path(folder)))
        return block

    def run(self, block: str, *, timeout: float = 300, env: dict[str, str] | None = None) -> str:
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", block],
            env={**shell_env(), **(env or {})},
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, f"{block}\nexit {done.returncode}\n{done.stdout}{done.stderr}"
        return done.stdout


def shell_env() -> dict[str, str]:
    """The test's environment without any of the server's variables: the guide's blocks must
    bring everything they need (pip's own configuration stays)."""
    dropped = configuration_variables() | {"DJANGO_SETTINGS_MODULE", "SSL_CERT_FILE"}
    return {name: value for name, value in os.environ.items() if name not in dropped}


@pytest.fixture
def services() -> tuple[str, str]:
    database, cache = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not database.startswith("postgres") or not cache:
        needed("DATABASE_URL on PostgreSQL and REDIS_URL")
    for tool in ("nginx", "curl", "python3"):
        if not shutil.which(tool, path=f"{os.environ.get('PATH', '')}:/usr/sbin"):
            needed(tool, required_by=("REQUIRE_SERVICES", "REQUIRE_E2E_TOOLS"))
    return database, cache


@contextmanager
def fresh_database(base_url: str) -> Iterator[str]:
    # The prefix lets the session's clean-up drop it too, should this run be killed.
    name = f"{SERVER_DATABASE_PREFIX}deployment_guide_{secrets.token_hex(6)}"
    with psycopg.connect(base_url, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(urlsplit(base_url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(base_url, autocommit=True) as connection:
            statement = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            connection.execute(statement.format(sql.Identifier(name)))


@contextmanager
def own_redis_database(base_url: str) -> Iterator[str]:
    url = urlunsplit(urlsplit(base_url)._replace(path=f"/{REDIS_DATABASE}"))
    client = redis.Redis.from_url(url)
    client.flushdb()
    try:
        yield url
    finally:
        client.flushdb()
        client.close()


@pytest.fixture
def machine(services, fake_microsoft: FakeMicrosoft, tmp_path: Path) -> Iterator[Machine]:
    database, cache = services
    with fresh_database(database) as database_url, own_redis_database(cache) as redis_url:
        yield Machine(
            root=tmp_path / "machine",
            https_port=free_port(),
            ports=(free_port(), free_port()),
            database_url=database_url,
            redis_url=redis_url,
            fake=fake_microsoft,
        )


def install(machine: Machine, blocks: dict[str, str]) -> None:
    """The code goes where the guide puts a release; then its install block, as written."""
    shutil.copytree(REPO, machine.path("/opt/m365-mcp/app"), ignore=NOT_COPIED)
    machine.run(machine.swap(blocks["install"], {}), timeout=INSTALL_TIMEOUT)


def configure(machine: Machine, blocks: dict[str, str]) -> None:
    fake = machine.fake
    machine.run(
        machine.swap(
            blocks["env"],
            {
                "https://mcp.example.com": machine.public_url,
                "postgresql://m365mcp:change-me@127.0.0.1:5432/m365mcp": machine.database_url,
                "redis://127.0.0.1:6379/0": machine.redis_url,
                "11111111-2222-3333-4444-555555555555": fake.client_id,
                "paste-the-secret-value-here": fake.client_secret,
                "MICROSOFT_TENANT_ID=contoso.onmicrosoft.com": "MICROSOFT_TENANT_ID=organizations",
            },
        )
    )
    with machine.path("/etc/m365-mcp/env").open("a", encoding="utf-8") as env_file:
        env_file.write(f"MICROSOFT_LOGIN_URL={fake.url}\nMICROSOFT_GRAPH_URL={fake.url}\n")
    machine.run(machine.swap(blocks["migrate"], {}))


@contextmanager
def unit_process(machine: Machine, unit_text: str, port: int) -> Iterator[Path]:
    """One instance of the template unit, run as systemd would: its directory, its environment
    file plus its Environment= lines (and PATH), its ExecStart; yield its log."""
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read_string(machine.swap(unit_text.replace("%i", str(port)), {}))
    service = unit["Service"]
    env = {"PATH": SYSTEMD_PATH, **read_dotenv(Path(service["EnvironmentFile"]))}
    env.update(dict(item.split("=", 1) for item in shlex.split(service["Environment"])))
    log = machine.root / f"server-{port}.log"
    with (
        log.open("wb") as output,
        subprocess.Popen(
            shlex.split(service["ExecStart"]),
            cwd=service["WorkingDirectory"],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        ) as process,
    ):
        try:
            wait_for(f"http://127.0.0.1:{port}/healthz", timeout=60, process=process)
            yield log
        finally:
            stop(process)


NGINX_WRAPPER = """\
{user}pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{ worker_connections 256; }}
http {{
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
{site}
}}
"""


@contextmanager
def nginx(machine: Machine, site_text: str, *, chain: Path, key: Path) -> Iterator[None]:
    """The guide's site inside a minimal http{} of a private prefix, serving ``chain``."""
    prefix = machine.root / "nginx"
    prefix.mkdir()
    first, second = machine.ports
    site = machine.swap(
        site_text,
        {
            "127.0.0.1:8001": f"127.0.0.1:{first}",
            "127.0.0.1:8002": f"127.0.0.1:{second}",
            "listen 80;": f"listen 127.0.0.1:{free_port()};",
            "listen 443 ssl": f"listen 127.0.0.1:{machine.https_port} ssl",
            "/etc/letsencrypt/live/mcp.example.com/fullchain.pem": str(chain),
            "/etc/letsencrypt/live/mcp.example.com/privkey.pem": str(key),
        },
    )
    # Run as root, nginx's workers would become "nobody", who cannot enter tmp_path.
    user = "user root root;\n" if os.geteuid() == 0 else ""
    conf = prefix / "nginx.conf"
    conf.write_text(NGINX_WRAPPER.format(user=user, prefix=prefix, site=site), encoding="utf-8")
    binary = shutil.which("nginx", path=f"{os.environ.get('PATH', '')}:/usr/sbin") or "nginx"
    command = [binary, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"]
    with (prefix / "stderr.log").open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    try:
        wait_for(f"{machine.public_url}/healthz", timeout=30, process=process)
        yield
    finally:
        stop(process, signal.SIGQUIT)  # nginx's graceful shutdown


def stop(process: subprocess.Popen[bytes], how: signal.Signals = signal.SIGTERM) -> None:
    process.send_signal(how)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def connect_and_call(server: LiveServer, storage: MemoryStorage, *, mode: str) -> str:
    """Connect in ``mode`` (signing in when ``storage`` has no token yet) and call two tools."""
    person = ScriptedPerson(server, f"http://127.0.0.1:{free_port()}/callback")
    provider = provider_for(server, person, storage)
    try:
        async with (
            asyncio.timeout(FLOW_TIMEOUT),
            httpx2.AsyncClient(auth=provider, timeout=30) as http,
            Client(streamable_http_client(server.mcp_url, http_client=http), mode=mode) as client,
        ):
            whoami = await client.call_tool("whoami", {})
            mail = await client.call_tool("getEmails", {})
            protocol = client.protocol_version
    finally:
        person.agent.close()
    assert_alice_with_granted_scopes(whoami, storage, client="SDK e2e assistant")
    assert ok(mail)["messages"], "alice's seeded inbox is empty"
    return protocol or ""


async def test_it_serves_assistants_when_deployed_as_the_guide_says(
    machine: Machine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocks = marked_blocks(GUIDE, "deployment-test")
    assert set(blocks) == {"install", "env", "migrate", "unit", "nginx", "health"}
    await asyncio.to_thread(install, machine, blocks)
    await asyncio.to_thread(configure, machine, blocks)
    ca, chain, key = certificates(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(ca))  # what httpx2 (the SDK's client) trusts
    with ExitStack() as running:
        logs = [
            running.enter_context(unit_process(machine, blocks["unit"], port))
            for port in machine.ports
        ]
        running.enter_context(nginx(machine, blocks["nginx"], chain=chain, key=key))
        first, second = machine.ports
        health = machine.swap(
            blocks["health"],
            {
                "https://mcp.example.com": machine.public_url,
                "127.0.0.1:8001": f"127.0.0.1:{first}",
                "127.0.0.1:8002": f"127.0.0.1:{second}",
            },
        )
        answers = machine.run(health, env={"CURL_CA_BUNDLE": str(ca)})
        assert answers.count('"status": "ok"') == 3, answers  # each process, and the proxy

        machine.fake.register_redirect_uri(f"{machine.public_url}/oauth/microsoft/callback")
        machine.fake.sign_in_as("alice")
        server = LiveServer(url=machine.public_url, fake=machine.fake)
        storage = MemoryStorage()
        assert await connect_and_call(server, storage, mode="legacy") == "2025-11-25"
        assert await connect_and_call(server, storage, mode="auto") == "2026-07-28"

    for log in logs:
        assert "POST /mcp 200" in log.read_text(encoding="utf-8"), f"{log} served no MCP call"

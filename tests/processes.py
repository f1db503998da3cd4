"""Start the real server (as `make run` does) and other processes for end-to-end tests."""

from __future__ import annotations

import hashlib
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx2
import psycopg
from psycopg import sql

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, *, timeout: float, process: subprocess.Popen[bytes] | None = None) -> float:
    """Poll ``url`` until it answers 200; return how long that took."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before {url} answered")
        try:
            if httpx2.get(url, timeout=1).status_code == 200:
                return time.monotonic() - started
        except httpx2.TransportError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer 200 within {timeout} s")


SERVER_DATABASE_PREFIX = "server_"


def database_url(database: Path) -> str:
    """The database a server subprocess uses, its own for each ``database`` path: a SQLite
    file, or on the services leg of .ci/run (DATABASE_URL set) a fresh PostgreSQL database
    on the same server, so no test sees rows another test or an earlier run left behind."""
    base = os.environ.get("DATABASE_URL")
    if not base:
        return f"sqlite:///{database}"
    name = SERVER_DATABASE_PREFIX + hashlib.sha256(str(database).encode()).hexdigest()[:16]
    with psycopg.connect(base, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if exists.fetchone() is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return urlunsplit(urlsplit(base)._replace(path=f"/{name}"))


def server_databases_drop() -> None:
    """Drop every per-server PostgreSQL database (end of the session)."""
    base = os.environ.get("DATABASE_URL")
    if not base:
        return
    with psycopg.connect(base, autocommit=True) as connection:
        names = connection.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s",
            (SERVER_DATABASE_PREFIX + "%",),
        ).fetchall()
        for (name,) in names:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def server_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The test process's environment, as a server subprocess should see it."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(extra or {})
    return env


MINT_TOKEN = """
import sys
import django
django.setup()
from datetime import timedelta
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application
from oauth2_provider.models import set_token_value
person, _ = User.objects.get_or_create(username=sys.argv[1], defaults={"first_name": "Test"})
client, _ = Application.objects.get_or_create(
    name="test client", client_type="public", authorization_grant_type="authorization-code",
    redirect_uris="http://127.0.0.1:9/cb")
token = AccessToken(user=person, application=client, scope=sys.argv[2],
                    resource=[settings.DEPLOYMENT.mcp_resource_url],
                    expires=timezone.now() + timedelta(hours=1))
set_token_value(token, sys.argv[3])
token.save()
"""


def mint_token(
    *, server_url: str, env: Mapping[str, str], person: str, scope: str = "mail.read"
) -> str:
    """Store an MCP access token directly in a running server's database (for tests of the
    transport layer; the OAuth flow itself is tested end to end elsewhere)."""
    token = secrets.token_urlsafe(32)
    subprocess.run(
        [sys.executable, "-c", MINT_TOKEN, person, scope, token],
        cwd=REPO,
        check=True,
        env=server_env(
            {"DJANGO_SETTINGS_MODULE": "config.settings", "PUBLIC_URL": server_url, **env}
        ),
        timeout=60,
    )
    return token


@contextmanager
def running_server(
    *, server: str = "uvicorn", env: Mapping[str, str] | None = None, database: Path
) -> Iterator[str]:
    """Serve the app as `make run` does (`manage.py serve --prepare` migrates the database and
    collects static files first); yield its base URL."""
    port = free_port()
    full_env = server_env({"PORT": str(port), **(env or {})})
    full_env["DATABASE_URL"] = (env or {}).get("DATABASE_URL") or database_url(database)
    manage = [sys.executable, str(REPO / "manage.py")]
    log = database.with_suffix(f".{server}.log")
    with (
        log.open("ab") as output,
        subprocess.Popen(
            [*manage, "serve", "--server", server, "--prepare"],
            env=full_env,
            stdout=output,
            stderr=subprocess.STDOUT,
        ) as process,
    ):
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(f"{base}/healthz", timeout=60, process=process)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                raise

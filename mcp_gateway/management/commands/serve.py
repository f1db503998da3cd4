"""Serve the ASGI application on HOST:PORT (what `make run` starts).

uvicorn is the default: it measured faster than daphne here (see README, "Choosing the ASGI
server") and speaks the ASGI lifespan protocol, so the MCP session manager starts with the
process. daphne stays supported for deployments that standardise on it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections

from mcp_gateway import conf

APPLICATION = "config.asgi:application"


class Command(BaseCommand):
    help = "Serve the MCP server, OAuth server and admin on HOST:PORT."
    requires_system_checks: list[str] = []  # noqa: RUF012 - `migrate` runs them

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--server", choices=("uvicorn", "daphne"), default="uvicorn")
        parser.add_argument(
            "--prepare",
            action="store_true",
            help="Apply migrations and collect static files first, in this process.",
        )

    def handle(self, *args: Any, server: str, prepare: bool, **options: Any) -> None:
        if prepare:
            prepared()
        deployment = settings.DEPLOYMENT
        self.stdout.write(
            f"Serving {deployment.public_url} on {deployment.host}:{deployment.port} with {server}"
        )
        if server == "daphne":
            serve_daphne(deployment.host, deployment.port)
        else:
            serve_uvicorn(deployment.host, deployment.port, deployment.forwarded_allow_ips)


def prepared() -> None:
    """What `make run` needs before serving, without starting Python and Django three times
    (a restart then answers in about half the time)."""
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    connections.close_all()  # the server's own threads open theirs


def serve_uvicorn(host: str, port: int, forwarded_allow_ips: str) -> None:
    import uvicorn

    uvicorn.run(
        APPLICATION,
        host=host,
        port=port,
        lifespan="on",
        # X-Forwarded-Proto/For are honoured only from these proxy addresses.
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
        access_log=False,  # config.requestlog writes one line per request
        log_config=None,  # keep Django's LOGGING (request ids, redaction, JSON lines)
        server_header=False,
        # A WebSocket message is held to the same bound as an HTTP body (uvicorn would
        # otherwise buffer up to 16 MiB before the consumer can refuse it; daphne stops at
        # 1 MiB, so large attachments need HTTP there).
        ws_max_size=conf.max_request_bytes(),
    )


def serve_daphne(host: str, port: int) -> None:
    from daphne.cli import CommandLineInterface

    # No --proxy-headers: daphne would trust X-Forwarded-For from any peer, not just the proxy.
    CommandLineInterface().run(["-b", host, "-p", str(port), APPLICATION])

"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

from collections.abc import Callable

import redis
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

PROBE_TIMEOUT_SECONDS = 2


@require_GET
@never_cache
async def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and answering; nothing else is checked (async: no thread hop)."""
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Every dependency answers; a failing check is named so the operator knows where to look."""
    checks = {name: _run(check) for name, check in READINESS_CHECKS.items()}
    ready = not any(result.startswith("fail") for result in checks.values())
    response = JsonResponse(
        {"status": "ok" if ready else "fail", "checks": checks}, status=200 if ready else 503
    )
    # A 503 here is an answer, not a server error: keep it to the one access-log line.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def _run(check: Callable[[], str]) -> str:
    try:
        return check()
    except Exception as exc:  # any failure means "not ready"; only its type is shown
        return f"fail: {type(exc).__name__}"


def check_database() -> str:
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return "fail: migrations not applied (run manage.py migrate)"
    return "ok"


def check_redis() -> str:
    if not settings.REDIS_URL:
        return "ok: not configured"
    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=PROBE_TIMEOUT_SECONDS,
        socket_timeout=PROBE_TIMEOUT_SECONDS,
    )
    try:
        client.ping()
    finally:
        client.close()
    return "ok"


def check_configuration() -> str:
    microsoft = settings.DEPLOYMENT.microsoft
    if not microsoft.configured:
        return "fail: MICROSOFT_CLIENT_ID and MICROSOFT_CLIENT_SECRET are not both set"
    return "ok"


READINESS_CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "redis": check_redis,
    "configuration": check_configuration,
}

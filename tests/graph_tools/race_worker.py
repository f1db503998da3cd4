"""One OS process of concurrent callers, for test_refresh_race (run with ``python -m``).

    seed USERNAME TID OID    reads a token response (JSON) on stdin; stores it for a new
                             user and lets the access token expire
    seed-many PREFIX         the same for each [TID, OID, token response] of a JSON list on
                             stdin, as users PREFIX0, PREFIX1, …
    race USERNAME THREADS    starts THREADS threads, prints "ready", waits for a line on stdin,
                             then they all call access_token_get; prints a JSON list of
                             [time the call started, what it returned or raised]
    refresh USERNAME         forces a refresh; prints the new access token
    forget USERNAME          deletes the user and their connection

Settings are the server's own (config.settings), pointed by the environment at the database
every process shares (DATABASE_URL) and at the fake of Microsoft (MICROSOFT_*).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connections  # noqa: E402
from django.utils import timezone  # noqa: E402

from graph_tools.models import MicrosoftConnection  # noqa: E402
from graph_tools.services import access_token_get, connection_refresh, connection_store  # noqa: E402

PERMISSIONS = ["openid", "profile", "offline_access", "User.Read"]


def seed(username: str, tenant_id: str, object_id: str, response: dict[str, object]) -> None:
    # A server database (PostgreSQL) outlives test runs: start from nothing.
    MicrosoftConnection.objects.filter(tenant_id=tenant_id, object_id=object_id).delete()
    forget(username)
    user = User.objects.create_user(username)
    connection_store(
        user=user,
        tenant_id=tenant_id,
        object_id=object_id,
        username=username,
        display_name=username,
        token_response=response,
        granted_permissions=PERMISSIONS,
    )
    MicrosoftConnection.objects.filter(user=user).update(access_token_expires_at=timezone.now())


def forget(username: str) -> None:
    User.objects.filter(username=username).delete()


def race(username: str, count: int) -> list[tuple[float, str]]:
    user = User.objects.get(username=username)
    start = threading.Barrier(count + 1)
    outcomes: list[tuple[float, str]] = [(0.0, "")] * count

    def call(index: int) -> None:
        start.wait()
        started = time.time()
        try:
            outcomes[index] = (started, access_token_get(user=user))
        except Exception as exc:  # reported to the test, which fails on it
            outcomes[index] = (started, f"{type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=call, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    print("ready", flush=True)
    sys.stdin.readline()
    start.wait()
    for thread in threads:
        thread.join()
    return outcomes


def main(command: str, username: str, *args: str) -> None:
    if command == "seed":
        tenant_id, object_id = args
        seed(username, tenant_id, object_id, json.loads(sys.stdin.read()))
    elif command == "seed-many":
        for number, (tenant_id, object_id, response) in enumerate(json.loads(sys.stdin.read())):
            seed(f"{username}{number}", tenant_id, object_id, response)
    elif command == "race":
        print(json.dumps(race(username, int(args[0]))), flush=True)
    elif command == "refresh":
        print(connection_refresh(user=User.objects.get(username=username)), flush=True)
    elif command == "forget":
        forget(username)


if __name__ == "__main__":
    main(*sys.argv[1:])

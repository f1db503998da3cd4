"""However many callers find the token expired at once, Entra sees exactly one refresh.

The callers are real threads in real OS processes (tests/graph_tools/race_worker.py) sharing
one database, as server processes do: a SQLite file here, or PostgreSQL when DATABASE_URL
names it. pytest-django's in-memory SQLite is not used: it shares one cache between
connections, where concurrent writers fail at once with "database table is locked" instead of
waiting, which would test SQLite's shared-cache mode rather than this code.

Microsoft is the live fake (tests/fakes), slowed down so that the refresh is still in flight
when the last caller starts; the test checks that this really happened.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import suppress

import httpx2
import pytest

from tests.fakes.people import Person
from tests.fakes.state import TokenRecord
from tests.processes import REPO, database_url, server_env

TOKEN_LATENCY_SECONDS = 1.5  # the fake's delay before it answers a token request
Outcome = tuple[float, str]  # when a caller started, what it got


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> dict[str, str]:
    """A migrated database every process can open; the environment that names it."""
    env = server_env({"DATABASE_URL": database_url(tmp_path_factory.mktemp("race") / "db")})
    manage = [sys.executable, str(REPO / "manage.py"), "migrate", "--noinput", "-v", "0"]
    subprocess.run(manage, env=env, check=True, timeout=120)
    return env


@pytest.fixture
def microsoft(fake_microsoft, database) -> dict[str, str]:
    """The fake, slowed down; the environment of a worker process pointed at it."""
    fake_microsoft.knobs.token_latency = TOKEN_LATENCY_SECONDS
    return {**database, **fake_microsoft.env(), "DJANGO_SETTINGS_MODULE": "config.settings"}


def worker(*args: str) -> list[str]:
    return [sys.executable, "-m", "tests.graph_tools.race_worker", *args]


@pytest.fixture
def connected(microsoft, fake_microsoft) -> Iterator[Callable[[Person], str]]:
    """Connect a user as a person of the fake, with an expired access token (returned).

    The user is deleted afterwards: on PostgreSQL the database outlives this test, and other
    tests sign the same people in.
    """
    usernames: list[str] = []

    def connect(person: Person) -> str:
        response = fake_microsoft.issue_tokens(person, ["User.Read"])
        usernames.append(f"racer-{person.key}")
        subprocess.run(
            worker("seed", usernames[-1], person.tenant.id, person.oid),
            env=microsoft,
            cwd=REPO,
            input=json.dumps(response),
            text=True,
            check=True,
            timeout=120,
        )
        return str(response["access_token"])

    yield connect
    for username in usernames:
        subprocess.run(worker("forget", username), env=microsoft, cwd=REPO, check=True, timeout=120)


def race(env: dict[str, str], *, username: str, processes: int, threads: int) -> list[Outcome]:
    workers = [
        subprocess.Popen(
            worker("race", username, str(threads)),
            env=env,
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    try:
        for process in workers:  # every process is up, its threads waiting
            assert process.stdout is not None
            assert process.stdout.readline().strip() == "ready"
        for process in workers:
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        outcomes: list[Outcome] = []
        for process in workers:
            output, _ = process.communicate(timeout=120)
            assert process.returncode == 0
            outcomes += [(float(started), str(got)) for started, got in json.loads(output)]
        return outcomes
    finally:
        for process in workers:
            with suppress(ProcessLookupError):
                process.kill()


def refreshes(fake) -> list[TokenRecord]:
    return [r for r in fake.token_requests if r.grant_type == "refresh_token"]


def check_one_refresh_for_all(fake, person, outcomes: list[Outcome], stale: str) -> None:
    tokens = {token for _started, token in outcomes}
    assert len(outcomes) == 50
    assert len(tokens) == 1, f"{len(tokens)} different tokens"
    (token,) = tokens
    assert token != stale
    me = httpx2.get(f"{fake.url}/v1.0/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["id"] == person.oid
    (refresh,) = refreshes(fake)
    assert refresh.error is None
    # Every caller started while that one refresh was still in flight.
    assert max(started for started, _token in outcomes) < refresh.at


def check_rotated_refresh_token_kept(env: dict[str, str], fake, person) -> None:
    """Entra keeps old refresh tokens valid; the fake forgets all but the newest, so the
    next refresh only succeeds if the rotated one was stored."""
    with fake.state.lock:
        newest = max(fake.state.refresh_tokens.values(), key=lambda grant: grant.issued_at)
        for grant in fake.state.refresh_tokens.values():
            if grant is not newest:
                grant.status = "revoked"
    fake.knobs.token_latency = 0
    done = subprocess.run(
        worker("refresh", f"racer-{person.key}"),
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert done.stdout.strip()
    assert [r.error for r in refreshes(fake)] == [None, None]


def test_it_refreshes_once_for_fifty_threads(microsoft, fake_microsoft, connected) -> None:
    person = fake_microsoft.alice
    stale = connected(person)
    outcomes = race(microsoft, username="racer-alice", processes=1, threads=50)
    check_one_refresh_for_all(fake_microsoft, person, outcomes, stale)
    check_rotated_refresh_token_kept(microsoft, fake_microsoft, person)


def test_it_refreshes_once_across_two_processes(microsoft, fake_microsoft, connected) -> None:
    person = fake_microsoft.bob
    stale = connected(person)
    outcomes = race(microsoft, username="racer-bob", processes=2, threads=25)
    check_one_refresh_for_all(fake_microsoft, person, outcomes, stale)
    check_rotated_refresh_token_kept(microsoft, fake_microsoft, person)

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from asgiref.sync import SyncToAsync
from django.contrib.auth.models import User
from django.db import connections
from django.test import Client

from graph_tools.access_token_cache import access_tokens
from mcp_gateway.audit import audit
from tests.processes import server_databases_drop

pytest_plugins = ["tests.fakes.fixtures"]


@pytest.fixture(scope="session", autouse=True)
def server_databases() -> Iterator[None]:
    """Server subprocesses' own PostgreSQL databases: none left from a killed run, none kept."""
    server_databases_drop()
    yield
    server_databases_drop()


@pytest.fixture(scope="session", autouse=True)
def async_orm_connection_closed(django_db_setup: None) -> Iterator[None]:
    """Close the connection of the thread Django's async ORM uses, before the test database
    is dropped. ``await Model.objects.aget()`` outside a request runs on asgiref's one
    thread-sensitive worker thread, whose connection would outlive the tests, and PostgreSQL
    refuses to drop a database that still has a session."""
    yield
    SyncToAsync.single_thread_executor.submit(connections.close_all).result()


@pytest.fixture(autouse=True)
def microsoft_tokens_forgotten() -> Iterator[None]:
    """Person ids repeat across transactional tests: no test may read another's cached token."""
    access_tokens.clear()
    yield
    access_tokens.clear()


@pytest.fixture(autouse=True)
def audit_rows_kept_apart() -> Iterator[None]:
    """Audit rows are written behind the answers: person ids repeat across transactional
    tests, so no row a test left queued may be written into the next test's database."""
    audit.discard()
    yield
    audit.discard()


@pytest.fixture
def admin_browser(db: None) -> Client:
    """A browser signed in to the admin as a superuser."""
    admin = User.objects.create_superuser("admin", "admin@contoso.example", "not-a-real-pass")
    browser = Client()
    browser.force_login(admin)
    return browser


@pytest.fixture
def redis_url() -> str:
    """The Redis of the PostgreSQL + Redis leg; the SQLite leg has none.

    Skips are visible (-ra) and .ci/run sets REQUIRE_SERVICES=1 on the services leg, where a
    missing REDIS_URL fails instead of skipping, so these tests cannot be skipped silently.
    """
    url = os.environ.get("REDIS_URL", "")
    if not url:
        if os.environ.get("REQUIRE_SERVICES"):
            pytest.fail("REDIS_URL is not set but REQUIRE_SERVICES=1")
        pytest.skip("needs REDIS_URL (runs in the PostgreSQL + Redis leg of .ci/run)")
    return url

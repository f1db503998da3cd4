"""pytest fixtures for the fake of Microsoft (registered in tests/conftest.py).

One fake server serves the whole session (RSA keys take a moment to make); each test gets it
freshly reset, so no code, token, consent, failure or record leaks between tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from pytest_django.fixtures import Settings

from tests.fakes.microsoft import FakeMicrosoft


@pytest.fixture(scope="session")
def fake_microsoft_server() -> Iterator[FakeMicrosoft]:
    with FakeMicrosoft() as fake:
        yield fake


@pytest.fixture
def fake_microsoft(fake_microsoft_server: FakeMicrosoft) -> FakeMicrosoft:
    """The fake, reset: nobody signed in, no redirect URI registered, no consent yet."""
    fake_microsoft_server.reset()
    return fake_microsoft_server


@pytest.fixture
def microsoft_settings(fake_microsoft: FakeMicrosoft, settings: Settings) -> FakeMicrosoft:
    """Point Django's settings.DEPLOYMENT.microsoft at the fake (tenant: organizations)."""
    deployment = settings.DEPLOYMENT
    settings.DEPLOYMENT = replace(
        deployment,
        microsoft=replace(
            deployment.microsoft,
            login_url=fake_microsoft.url,
            graph_url=fake_microsoft.url,
            client_id=fake_microsoft.client_id,
            client_secret=fake_microsoft.client_secret,
            tenant_id="organizations",
        ),
    )
    return fake_microsoft

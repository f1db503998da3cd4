"""The cast (alice and bob are connected to Microsoft, the outsider is not) and a stub of
Entra's token endpoint at the HTTP seam."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qs

import pytest
import responses
from django.contrib.auth.models import User
from django.db.models import TextField
from django.db.models.functions import Cast

from graph_tools.models import MicrosoftConnection
from graph_tools.services import connection_store

TENANT = "aaaaaaaa-0000-4000-8000-0000000000aa"
PERMISSIONS = ["openid", "profile", "offline_access", "User.Read", "Mail.Read"]
TOKEN_URL = f"https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/token"


def connect(user: User, *, expires_in: int = 3600, **response: Any) -> MicrosoftConnection:
    """Store a Microsoft sign-in for ``user`` with tokens named after them."""
    name = user.username
    return connection_store(
        user=user,
        tenant_id=TENANT,
        object_id=str(uuid.uuid5(uuid.NAMESPACE_DNS, f"{name}.contoso.example")),
        username=f"{name}@contoso.example",
        display_name=name.title(),
        token_response={
            "token_type": "Bearer",
            "access_token": f"{name}-access-1",
            "refresh_token": f"{name}-refresh-1",
            "expires_in": expires_in,
            **response,
        },
        granted_permissions=PERMISSIONS,
    )


@pytest.fixture
def alice(db) -> User:
    user = User.objects.create_user("alice")
    connect(user)
    return user


@pytest.fixture
def bob(db) -> User:
    user = User.objects.create_user("bob")
    connect(user)
    return user


@pytest.fixture
def outsider(db) -> User:
    return User.objects.create_user("outsider")


def raw_tokens(user: User) -> tuple[str, str | None]:
    """The token columns exactly as stored."""
    row: tuple[str, str | None] = (
        MicrosoftConnection.objects.filter(user=user)
        .values_list(Cast("access_token", TextField()), Cast("refresh_token", TextField()))
        .get()
    )
    return row


@pytest.fixture
def use_keys(settings) -> Callable[..., None]:
    """Switch TOKEN_ENCRYPTION_KEYS (first encrypts, all decrypt) for the rest of the test."""

    def use(*keys: bytes) -> None:
        decoded = tuple(key.decode() for key in keys)
        settings.DEPLOYMENT = replace(settings.DEPLOYMENT, token_encryption_keys=decoded)

    return use


@dataclass
class EntraStub:
    """Entra's token endpoint, as `responses` replays it; ``requests`` holds what was sent."""

    mock: responses.RequestsMock
    url: str = TOKEN_URL

    def refreshes(self, **answer: Any) -> None:
        """Answer the next refresh; ``refresh_token=None`` leaves the refresh token out."""
        body = {
            "token_type": "Bearer",
            "access_token": "new-access",
            "refresh_token": "new-refresh",
            "expires_in": 3600,
            "scope": "Mail.Read User.Read",
            **answer,
        }
        self.mock.post(self.url, json={k: v for k, v in body.items() if v is not None})

    def refuses(self, error: str, code: int, *, status: int = 400, **extra: Any) -> None:
        self.mock.post(
            self.url,
            status=status,
            json={
                "error": error,
                "error_codes": [code],
                "error_description": f"AADSTS{code}: Something happened.\r\nTrace ID: 0000",
                **extra,
            },
        )

    @property
    def requests(self) -> list[dict[str, str]]:
        bodies = [str(call.request.body or "") for call in self.mock.calls]  # form-encoded
        return [{k: v[0] for k, v in parse_qs(body).items()} for body in bodies]


@pytest.fixture
def entra() -> Iterator[EntraStub]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield EntraStub(mock)

"""The cast (alice and bob are connected to Microsoft, the outsider is not), a stub of
Entra's token endpoint at the HTTP seam, what Graph was sent there, and sign-ins to the fake."""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest
import responses
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone
from mcp.types import CallToolResult
from oauth2_provider.models import Application

from graph_tools import catalog
from graph_tools.models import MicrosoftConnection
from graph_tools.services import connection_store
from mcp_gateway.audit import audit
from mcp_gateway.caller import CALLER, Caller
from mcp_gateway.confirmation import Consent
from mcp_gateway.execution import tool_invoke
from oauth_bridge.scopes import SCOPE_NAMES
from tests.fakes.microsoft import FakeMicrosoft
from tests.fakes.people import person_named
from tests.graph_tools.scenarios import GRAPH, ZONE

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


ALL_SCOPES = frozenset(SCOPE_NAMES)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    # The mailbox time zone is cached per person id; ids repeat across transactional tests.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def graph(entra: EntraStub) -> responses.RequestsMock:
    """Microsoft Graph at the HTTP seam (the same mock as Entra's token endpoint)."""
    return entra.mock


@pytest.fixture
def mailbox_zone(alice: User) -> str:
    """Alice's mailbox time zone, as if already read from /me/mailboxSettings."""
    cache.set(f"graph_tools:mailbox-time-zone:{alice.pk}", ZONE, 3600)
    return ZONE


@pytest.fixture
def no_sleep(monkeypatch) -> list[float]:
    """The Graph client's waits (Retry-After, backoff), recorded instead of slept."""
    waits: list[float] = []
    monkeypatch.setattr("graph_tools.client.time.sleep", waits.append)
    return waits


ToolCaller = Callable[..., Awaitable[CallToolResult]]


@pytest.fixture
def call_tool(alice: User) -> ToolCaller:
    """Call a Microsoft 365 tool as the gateway does (scope, validation, handler, audit).

    ``call_tool("getEmails", {"count": 5})`` as alice with every scope; ``person=``,
    ``scopes=`` and ``consent=`` ("confirmed", "declined", "not_asked") change that.
    """
    client = Application.objects.create(
        name="Test Assistant",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="http://127.0.0.1:3000/callback",
    )
    tools = {tool.name: tool for tool in catalog.ALL_TOOLS}

    async def call(
        name: str,
        arguments: dict[str, Any] | None = None,
        *,
        person: User = alice,
        scopes: frozenset[str] = ALL_SCOPES,
        consent: Consent = "not_needed",
    ) -> CallToolResult:
        caller = Caller(
            person=person,
            person_id=person.pk,
            person_name=person.username,
            username=person.username,
            client_pk=client.pk,
            client_id=client.client_id,
            client_name=client.name,
            scopes=scopes,
            token_pk=0,
            expires=timezone.now() + timedelta(hours=1),
        )
        reset = CALLER.set(caller)
        try:
            return await tool_invoke(tools[name], arguments or {}, consent=consent)
        finally:
            CALLER.reset(reset)
            await audit.flush()  # as the gateway's runtime would, before the test reads rows

    return call


def graph_json(mock: responses.RequestsMock, index: int = -1) -> Any:
    """The JSON body of a Graph request the mock saw (the last one by default)."""
    body = mock.calls[index].request.body
    return json.loads(body) if body else None


@dataclass(frozen=True)
class Sent:
    """A request the Graph mock saw, in a form tests can compare whole."""

    method: str
    url: str  # without the query
    query: dict[str, str]  # decoded
    headers: Any
    body: Any  # the decoded JSON body; None without one, or for an upload's bytes

    @property
    def path(self) -> str:
        """The URL under the Graph base, still percent-encoded."""
        return self.url.removeprefix(GRAPH)

    @property
    def prefer(self) -> str | None:
        header: str | None = self.headers.get("Prefer")
        return header


def sent(mock: responses.RequestsMock, index: int = -1) -> Sent:
    request = mock.calls[index].request
    parts = urlsplit(str(request.url))
    is_json = "json" in str(request.headers.get("Content-Type", ""))
    return Sent(
        method=str(request.method),
        url=f"{parts.scheme}://{parts.netloc}{parts.path}",
        query=dict(parse_qsl(parts.query, keep_blank_values=True)),
        headers=request.headers,
        body=graph_json(mock, index) if request.body and is_json else None,
    )


def all_sent(mock: responses.RequestsMock) -> list[Sent]:
    return [sent(mock, index) for index in range(len(mock.calls))]


def zone_header(zone: str) -> str:
    """The Prefer header that asks Graph for times in ``zone``."""
    return f'outlook.timezone="{zone}"'


def text(result: Any) -> str:
    return str(result.content[0].text)


ConnectToFake = Callable[[str, list[str]], User]


@pytest.fixture
def connect_to_fake(db, microsoft_settings: FakeMicrosoft) -> ConnectToFake:
    """``connect_to_fake("alice", ["Mail.Read"])``: a new user signed in as the fake's person
    of that name, with tokens for those permissions (issued without the browser)."""

    def connect(name: str, permissions: list[str]) -> User:
        user = User.objects.create_user(name)
        person = person_named(name)
        connection_store(
            user=user,
            tenant_id=person.tenant.id,
            object_id=person.oid,
            username=person.username,
            display_name=person.display_name,
            token_response=microsoft_settings.issue_tokens(person, permissions),
            granted_permissions=["openid", "profile", "offline_access", *permissions],
        )
        return user

    return connect

"""The mcp SDK's own OAuth client connects to the server started as `make run` starts it.

`OAuthClientProvider` discovers our metadata from the 401, registers (DCR, or a Client ID
Metadata Document that the server fetches over https), sends the person to the authorization
URL, exchanges the code with PKCE and `resource`, and then calls `/mcp` with the token, in
both protocol eras. The person is `UserAgent`: it approves our consent page and signs in at the
fake of Entra, headlessly, and stops at the client's redirect URI (the SDK never listens).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

import httpx2
import pytest
from mcp.client import Client
from mcp.client.auth import AuthorizationCodeResult, OAuthClientProvider
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import OAuthClientInformationFull, OAuthClientMetadata, OAuthToken
from mcp.types import CallToolResult
from pydantic import AnyUrl

from tests.e2e.conftest import LiveServer, live_server
from tests.e2e.metadata_document import MetadataDocumentServer
from tests.e2e.user_agent import UserAgent
from tests.fakes.microsoft import FakeMicrosoft
from tests.processes import free_port

FLOW_TIMEOUT = 90  # seconds for discovery, registration, consent, sign-in, token and calls


class MemoryStorage:
    """The SDK's TokenStorage, kept in memory for one test."""

    def __init__(self) -> None:
        self.tokens: OAuthToken | None = None
        self.client_info: OAuthClientInformationFull | None = None

    async def get_tokens(self) -> OAuthToken | None:
        return self.tokens

    async def set_tokens(self, tokens: OAuthToken) -> None:
        self.tokens = tokens

    async def get_client_info(self) -> OAuthClientInformationFull | None:
        return self.client_info

    async def set_client_info(self, client_info: OAuthClientInformationFull) -> None:
        self.client_info = client_info


class ScriptedPerson:
    """The SDK's redirect and callback handlers, answered by a `UserAgent` on a thread."""

    def __init__(self, server: LiveServer, redirect_uri: str) -> None:
        self.agent = UserAgent(server.url, server.fake.url)
        self.redirect_uri = redirect_uri
        self.landed = ""

    async def redirect(self, authorization_url: str) -> None:
        self.landed = await asyncio.to_thread(self.agent.approve, authorization_url)

    async def callback(self) -> AuthorizationCodeResult:
        assert self.landed.startswith(f"{self.redirect_uri}?"), self.landed
        params = dict(parse_qsl(urlsplit(self.landed).query))
        assert "error" not in params, params
        return AuthorizationCodeResult(
            code=params["code"], state=params.get("state"), iss=params.get("iss")
        )


def provider_for(
    server: LiveServer,
    person: ScriptedPerson,
    storage: MemoryStorage,
    client_metadata_url: str | None = None,
) -> OAuthClientProvider:
    metadata = OAuthClientMetadata(
        client_name="SDK e2e assistant",
        redirect_uris=[AnyUrl(person.redirect_uri)],
        grant_types=["authorization_code", "refresh_token"],
        token_endpoint_auth_method="none",
    )
    return OAuthClientProvider(
        server_url=server.mcp_url,
        client_metadata=metadata,
        storage=storage,
        redirect_handler=person.redirect,
        callback_handler=person.callback,
        client_metadata_url=client_metadata_url,
    )


async def tools_and_whoami(
    server: LiveServer, provider: OAuthClientProvider, *, mode: str
) -> tuple[str | None, list[str], CallToolResult]:
    async with (
        asyncio.timeout(FLOW_TIMEOUT),
        httpx2.AsyncClient(auth=provider, timeout=30) as http,
        Client(streamable_http_client(server.mcp_url, http_client=http), mode=mode) as client,
    ):
        tools = await client.list_tools()
        result = await client.call_tool("whoami", {})
        return client.protocol_version, [tool.name for tool in tools.tools], result


def assert_alice_with_granted_scopes(
    result: CallToolResult, storage: MemoryStorage, *, client: str
) -> None:
    assert not result.is_error, result
    assert storage.tokens is not None
    assert storage.tokens.scope
    identity = result.structured_content or {}
    assert identity["name"] == FakeMicrosoft.alice.display_name
    assert identity["client"] == client
    assert identity["scopes"] == sorted(storage.tokens.scope.split())


@pytest.mark.parametrize(("mode", "version"), [("legacy", "2025-11-25"), ("auto", "2026-07-28")])
async def test_it_connects_through_dynamic_registration(
    live_server_with_fake: LiveServer, mode: str, version: str
) -> None:
    server = live_server_with_fake
    person = ScriptedPerson(server, f"http://127.0.0.1:{free_port()}/callback")
    storage = MemoryStorage()
    provider = provider_for(server, person, storage)
    try:
        protocol, tools, result = await tools_and_whoami(server, provider, mode=mode)
    finally:
        person.agent.close()
    assert protocol == version
    assert "whoami" in tools
    assert person.agent.consent_pages == 1
    assert storage.client_info is not None
    assert not storage.client_info.client_id.startswith("https://")  # registered, not a URL
    assert_alice_with_granted_scopes(result, storage, client="SDK e2e assistant")


@pytest.fixture
def metadata_document(tmp_path) -> Iterator[MetadataDocumentServer]:
    redirect_uri = f"http://127.0.0.1:{free_port()}/callback"
    with MetadataDocumentServer(
        tmp_path, redirect_uri=redirect_uri, client_name="CIMD e2e assistant"
    ) as document:
        yield document


@pytest.fixture
def server_trusting_the_document(
    fake_microsoft: FakeMicrosoft, metadata_document: MetadataDocumentServer, tmp_path
) -> Iterator[LiveServer]:
    # Development-only loopback fetching (oauth_bridge/cimd.py), and the standard variable
    # that makes the server's TLS trust the test's CA.
    env = {"CIMD_ALLOW_LOOPBACK": "true", "SSL_CERT_FILE": str(metadata_document.ca_file)}
    with live_server(fake_microsoft, database=tmp_path / "db.sqlite3", env=env) as server:
        yield server


async def test_it_connects_with_a_metadata_document_the_server_fetches(
    server_trusting_the_document: LiveServer, metadata_document: MetadataDocumentServer
) -> None:
    server, document = server_trusting_the_document, metadata_document
    person = ScriptedPerson(server, document.redirect_uri)
    storage = MemoryStorage()
    provider = provider_for(server, person, storage, client_metadata_url=document.client_id)
    try:
        protocol, tools, result = await tools_and_whoami(server, provider, mode="auto")
    finally:
        person.agent.close()
    assert protocol == "2026-07-28"
    assert "whoami" in tools
    assert document.fetches >= 1
    assert storage.client_info is not None
    assert storage.client_info.client_id == document.client_id
    assert_alice_with_granted_scopes(result, storage, client="CIMD e2e assistant")
    source = await asyncio.to_thread(
        server.manage,
        "shell",
        "-v",
        "0",
        "-c",
        "from oauth2_provider.models import Application; "
        f"print(Application.objects.get(client_id={document.client_id!r}).registration_source)",
    )
    assert source.strip() == "cimd"

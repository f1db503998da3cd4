"""RFC 8414 authorization-server metadata and RFC 9728 protected-resource metadata."""

from __future__ import annotations

import pytest
from django.test import Client

from oauth_bridge.scopes import DEFAULT_SCOPES, SCOPE_NAMES

ISSUER = "http://127.0.0.1:8000"


def test_it_advertises_exactly_what_is_supported() -> None:
    metadata = Client().get("/.well-known/oauth-authorization-server").json()
    assert metadata["issuer"] == ISSUER
    assert metadata["authorization_endpoint"] == f"{ISSUER}/authorize/"
    assert metadata["token_endpoint"] == f"{ISSUER}/token/"
    assert metadata["registration_endpoint"] == f"{ISSUER}/register/"
    assert metadata["revocation_endpoint"] == f"{ISSUER}/revoke_token/"
    assert metadata["introspection_endpoint"] == f"{ISSUER}/introspect/"
    assert metadata["response_types_supported"] == ["code"]
    assert metadata["grant_types_supported"] == ["authorization_code", "refresh_token"]
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    assert metadata["token_endpoint_auth_methods_supported"] == [
        "none",
        "client_secret_basic",
        "client_secret_post",
    ]
    assert metadata["client_id_metadata_document_supported"] is True
    assert metadata["authorization_response_iss_parameter_supported"] is True
    assert metadata["scopes_supported"] == sorted(SCOPE_NAMES)


@pytest.mark.parametrize(
    "path",
    [
        "/.well-known/oauth-protected-resource/mcp",
        "/.well-known/oauth-protected-resource",
    ],
)
def test_it_describes_the_mcp_resource(path: str) -> None:
    metadata = Client().get(path).json()
    assert metadata["resource"] == f"{ISSUER}/mcp"
    assert metadata["scopes_supported"] == list(DEFAULT_SCOPES)
    assert metadata["bearer_methods_supported"] == ["header"]


def test_it_names_the_issuer_byte_for_byte() -> None:
    issuer = Client().get("/.well-known/oauth-authorization-server").json()["issuer"]
    for path in (
        "/.well-known/oauth-protected-resource/mcp",
        "/.well-known/oauth-protected-resource",
    ):
        assert Client().get(path).json()["authorization_servers"][0] == issuer


def test_it_serves_no_metadata_for_other_resources() -> None:
    assert Client().get("/.well-known/oauth-protected-resource/admin").status_code == 404


def test_it_lets_browser_clients_read_metadata() -> None:
    response = Client().get("/.well-known/oauth-authorization-server")
    assert response["Access-Control-Allow-Origin"] == "*"

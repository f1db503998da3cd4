"""check_microsoft asks the fake Entra and says what is wrong with the configuration, in words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from io import StringIO
from typing import Any

import pytest
import responses
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from graph_tools.services import connection_store
from tests.fakes.people import CONTOSO, FABRIKAM
from tests.processes import free_port

CALLBACK = "http://127.0.0.1:8000/oauth/microsoft/callback"  # PUBLIC_URL of the test settings

Configure = Callable[..., None]


@pytest.fixture
def configure(db, microsoft_settings, settings) -> Configure:
    """Change settings.DEPLOYMENT.microsoft (pointed at the fake, tenant Contoso)."""

    def configure(**changes: Any) -> None:
        microsoft = replace(settings.DEPLOYMENT.microsoft, **changes)
        settings.DEPLOYMENT = replace(settings.DEPLOYMENT, microsoft=microsoft)

    microsoft_settings.register_redirect_uri(CALLBACK)
    configure(tenant_id=CONTOSO.id)
    return configure


def check() -> str:
    out = StringIO()
    call_command("check_microsoft", stdout=out, stderr=StringIO())
    return out.getvalue()


def check_failing() -> str:
    out = StringIO()
    with pytest.raises(CommandError, match=r"problem\(s\) with the Microsoft configuration"):
        call_command("check_microsoft", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_reports_a_working_configuration(configure, microsoft_settings) -> None:
    lines = check().splitlines()
    assert [line.split(": ")[:2] for line in lines] == [
        ["configuration", "ok"],
        ["discovery", "ok"],
        ["client credentials", "ok"],
        ["redirect URI", "ok"],
    ]
    assert f"issuer {microsoft_settings.url}/{CONTOSO.id}/v2.0" in lines[1]
    assert f"Entra accepts the client id and secret (tenant {CONTOSO.id})" in lines[2]
    assert lines[3] == f"redirect URI: ok: Entra accepts the redirect URI {CALLBACK}"
    grants = [r.grant_type for r in microsoft_settings.token_requests if r.error is None]
    assert grants == ["client_credentials"]


def test_it_never_prints_the_secret_or_a_token(configure, microsoft_settings) -> None:
    output = check()
    assert microsoft_settings.client_secret not in output
    assert "eyJ" not in output  # no JWT
    configure(client_secret="wrong-secret-value")
    assert "wrong-secret-value" not in check_failing()


def test_it_names_an_unknown_tenant(configure) -> None:
    configure(tenant_id="nowhere.onmicrosoft.com")
    output = check_failing()
    assert (
        "discovery: problem: AADSTS90002: tenant nowhere.onmicrosoft.com was not found in the "
        "global cloud: check MICROSOFT_TENANT_ID and MICROSOFT_CLOUD"
    ) in output
    assert "client credentials: problem: AADSTS90002" in output


def test_it_names_an_unknown_app(configure) -> None:
    configure(client_id="00000000-0000-4000-8000-000000000000")
    output = check_failing()
    assert (
        "client credentials: problem: AADSTS700016: Entra knows no app "
        f"00000000-0000-4000-8000-000000000000 in tenant {CONTOSO.id}"
    ) in output
    assert "redirect URI: problem: AADSTS700016" in output


def test_it_names_a_wrong_secret(configure) -> None:
    configure(client_secret="the-secret-id-instead-of-its-value")
    assert (
        "client credentials: problem: AADSTS7000215: Entra refused MICROSOFT_CLIENT_SECRET: use "
        "the secret's Value (not its Secret ID)"
    ) in check_failing()


def test_it_names_an_expired_secret(configure, microsoft_settings) -> None:
    microsoft_settings.expire_client_secret()
    assert (
        "client credentials: problem: AADSTS7000222: MICROSOFT_CLIENT_SECRET has expired"
    ) in check_failing()


def test_it_names_an_unregistered_redirect_uri(configure, microsoft_settings) -> None:
    microsoft_settings.reset()  # forgets the registered redirect URI
    output = check_failing()
    assert (
        f"redirect URI: problem: AADSTS50011: the redirect URI {CALLBACK} is not registered: add "
        "it under Authentication → Web in the app registration"
    ) in output
    assert "client credentials: ok" in output


def test_it_names_a_graph_host_entra_does_not_know(configure) -> None:
    configure(graph_url="https://graph.example.com")
    assert (
        "client credentials: problem: AADSTS1002012: Entra refused the scope "
        "https://graph.example.com/.default: check MICROSOFT_CLOUD and MICROSOFT_GRAPH_URL"
    ) in check_failing()


def test_it_says_when_entra_is_unreachable(configure) -> None:
    configure(login_url=f"http://127.0.0.1:{free_port()}")
    output = check_failing()
    assert "discovery: problem: could not reach http://127.0.0.1:" in output
    assert "client credentials: problem: Microsoft did not answer the token request" in output


def test_it_names_a_discovery_document_of_another_cloud(configure, microsoft_settings) -> None:
    url = f"{microsoft_settings.url}/{CONTOSO.id}/v2.0/.well-known/openid-configuration"
    foreign = "https://login.microsoftonline.us"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_passthru(f"{microsoft_settings.url}/{CONTOSO.id}/oauth2")
        mock.get(
            url,
            json={
                "issuer": f"{foreign}/{CONTOSO.id}/v2.0",
                "token_endpoint": f"{foreign}/{CONTOSO.id}/oauth2/v2.0/token",
            },
        )
        output = check_failing()
    assert f"discovery: problem: the discovery document names issuer '{foreign}/" in output


def test_it_stops_when_the_app_is_not_configured(configure, microsoft_settings) -> None:
    configure(client_id="", client_secret="")
    output = check_failing()
    assert output.splitlines() == [
        "configuration: problem: MICROSOFT_CLIENT_ID and MICROSOFT_CLIENT_SECRET must both be set"
    ]
    assert microsoft_settings.token_requests == []


def test_it_needs_a_tenant_to_check_the_secret_of_a_multi_tenant_app(configure) -> None:
    configure(tenant_id="organizations")
    output = check()
    assert "client credentials: ok: client secret not checked: an app-only token needs a" in output


def test_it_checks_the_secret_in_the_first_allowed_tenant(configure) -> None:
    configure(tenant_id="organizations", allowed_tenants=(FABRIKAM.id, CONTOSO.id))
    assert f"Entra accepts the client id and secret (tenant {FABRIKAM.id})" in check()


def test_it_checks_the_secret_in_a_signed_in_persons_tenant(configure, microsoft_settings) -> None:
    configure(tenant_id="organizations")
    connection_store(
        user=User.objects.create_user("alice"),
        tenant_id=CONTOSO.id,
        object_id=microsoft_settings.alice.oid,
        username=microsoft_settings.alice.username,
        display_name="Alice",
        token_response=microsoft_settings.issue_tokens("alice", ["User.Read"]),
        granted_permissions=["User.Read"],
    )
    assert f"Entra accepts the client id and secret (tenant {CONTOSO.id})" in check()

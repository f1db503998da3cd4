"""Every configuration variable: its default, and an invalid value that stops start-up."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from config.deployment import Deployment, load_deployment
from config.env import ConfigError

KEY = "u2XNGUMWBc3V-vKiQ8bKXYAMk9WgFzYj4dhGAKc_mNY="
PRODUCTION = {
    "DEBUG": "false",
    "PUBLIC_URL": "https://mcp.example.com",
    "SECRET_KEY": "x" * 40 + "abcdefghij",
    "TOKEN_ENCRYPTION_KEYS": KEY,
    "MICROSOFT_CLIENT_ID": "11111111-2222-3333-4444-555555555555",
    "MICROSOFT_CLIENT_SECRET": "secret",
}


@pytest.fixture
def load(tmp_path: Path) -> Callable[..., Deployment]:
    def load(**values: str) -> Deployment:
        return load_deployment(values, var_dir=tmp_path)

    return load


def test_it_has_working_defaults_with_nothing_set(load) -> None:
    deployment = load()
    assert deployment.public_url == "http://127.0.0.1:8000"
    assert deployment.mcp_resource_url == "http://127.0.0.1:8000/mcp"
    assert (deployment.host, deployment.port) == ("127.0.0.1", 8000)
    assert deployment.debug is True
    assert deployment.redis_url == ""
    assert deployment.database["ENGINE"] == "django.db.backends.sqlite3"
    assert deployment.database["NAME"].endswith("/db.sqlite3")
    assert deployment.log_format == "text"
    assert deployment.log_level == "INFO"
    assert deployment.forwarded_allow_ips == "127.0.0.1"
    assert deployment.cimd_allowed_hosts == ("*",)
    assert deployment.cimd_allow_loopback is False


def test_it_defaults_microsoft_to_the_global_cloud(load) -> None:
    microsoft = load().microsoft
    assert microsoft.tenant_id == "organizations"
    assert microsoft.allowed_tenants == ()
    assert microsoft.cloud == "global"
    assert microsoft.login_url == "https://login.microsoftonline.com"
    assert microsoft.graph_url == "https://graph.microsoft.com"
    assert (microsoft.client_id, microsoft.client_secret, microsoft.configured) == ("", "", False)


@pytest.mark.parametrize(
    ("cloud", "login", "graph"),
    [
        ("usgov", "https://login.microsoftonline.us", "https://graph.microsoft.us"),
        ("usgov-dod", "https://login.microsoftonline.us", "https://dod-graph.microsoft.us"),
        (
            "china",
            "https://login.partner.microsoftonline.cn",
            "https://microsoftgraph.chinacloudapi.cn",
        ),
    ],
)
def test_it_selects_each_national_cloud(load, cloud: str, login: str, graph: str) -> None:
    microsoft = load(MICROSOFT_CLOUD=cloud).microsoft
    assert (microsoft.login_url, microsoft.graph_url) == (login, graph)


def test_it_accepts_loopback_http_overrides_for_a_local_fake(load) -> None:
    microsoft = load(
        MICROSOFT_LOGIN_URL="http://127.0.0.1:9999/", MICROSOFT_GRAPH_URL="http://localhost:9998"
    ).microsoft
    assert microsoft.login_url == "http://127.0.0.1:9999"
    assert microsoft.graph_url == "http://localhost:9998"


def test_it_reads_the_tenant_allow_list(load) -> None:
    tenants = "AAAAAAAA-0000-0000-0000-000000000001, aaaaaaaa-0000-0000-0000-000000000002"
    assert load(MICROSOFT_ALLOWED_TENANTS=tenants).microsoft.allowed_tenants == (
        "aaaaaaaa-0000-0000-0000-000000000001",
        "aaaaaaaa-0000-0000-0000-000000000002",
    )


def test_it_derives_the_default_public_url_from_port(load) -> None:
    assert load(PORT="9000").public_url == "http://127.0.0.1:9000"


def test_it_derives_the_resource_from_public_url(load) -> None:
    deployment = load(**{**PRODUCTION, "PUBLIC_URL": "https://MCP.Example.com:443/"})
    assert deployment.public_url == "https://mcp.example.com"
    assert deployment.mcp_resource_url == "https://mcp.example.com/mcp"


def test_it_turns_debug_off_by_default_for_a_public_host(load) -> None:
    values = {k: v for k, v in PRODUCTION.items() if k != "DEBUG"}
    assert load(**values).debug is False


def test_it_parses_a_postgresql_url(load) -> None:
    database = load(DATABASE_URL="postgresql://app:p%40ss@db.internal:5433/m365?sslmode=require")
    assert database.database["ENGINE"] == "django.db.backends.postgresql"
    assert (database.database["USER"], database.database["PASSWORD"]) == ("app", "p@ss")
    assert (database.database["HOST"], database.database["PORT"]) == ("db.internal", "5433")
    assert database.database["NAME"] == "m365"
    assert database.database["OPTIONS"] == {"sslmode": "require"}


def test_it_trusts_listed_proxy_networks(load) -> None:
    assert load(FORWARDED_ALLOW_IPS="10.0.0.0/8, ::1").forwarded_allow_ips == "10.0.0.0/8,::1"


def test_it_restricts_metadata_document_hosts(load) -> None:
    assert load(CIMD_ALLOWED_HOSTS="claude.ai, .example.com").cimd_allowed_hosts == (
        "claude.ai",
        ".example.com",
    )
    assert load(CIMD_ALLOWED_HOSTS="").cimd_allowed_hosts == ()


def test_it_allows_loopback_metadata_documents_only_in_development(load) -> None:
    assert load(CIMD_ALLOW_LOOPBACK="true").cimd_allow_loopback is True
    assert load(**{**PRODUCTION, "CIMD_ALLOW_LOOPBACK": "false"}).cimd_allow_loopback is False


def test_it_offers_every_tool_group_by_default(load) -> None:
    policy = load().m365
    assert policy.toolsets == ("mail", "calendar", "contacts", "people", "teams", "meetings")
    assert policy.read_only is False
    assert policy.send_allowed_domains == ()
    assert policy.sends_to("anyone@example.org")


def test_it_narrows_the_tools_by_policy(load) -> None:
    policy = load(
        M365_TOOLSETS="Mail, calendar,mail",
        M365_READ_ONLY="true",
        M365_SEND_ALLOWED_DOMAINS="Contoso.com, fabrikam.org",
    ).m365
    assert policy.toolsets == ("mail", "calendar")
    assert policy.read_only is True
    assert policy.send_allowed_domains == ("contoso.com", "fabrikam.org")
    assert policy.sends_to("anna@CONTOSO.com")
    assert policy.sends_to("anna@eu.contoso.com")
    assert not policy.sends_to("anna@evilcontoso.com")
    assert not policy.sends_to("anna@contoso.com.evil.org")


def test_it_refreshes_microsoft_tokens_in_process_by_default(load) -> None:
    refresh = load().token_refresh
    assert (refresh.in_process, refresh.interval_seconds) == (True, 300)


def test_it_leaves_token_refresh_to_a_scheduler_when_told(load) -> None:
    refresh = load(
        MICROSOFT_TOKEN_REFRESH_IN_PROCESS="false", MICROSOFT_TOKEN_REFRESH_INTERVAL="60"
    ).token_refresh
    assert (refresh.in_process, refresh.interval_seconds) == (False, 60)


def test_it_keeps_a_redis_url(load) -> None:
    assert load(REDIS_URL="redis://127.0.0.1:6379/0").redis_url == "redis://127.0.0.1:6379/0"


INVALID = [
    ("PUBLIC_URL", "ftp://example.com", "must be an http:// or https:// URL"),
    ("PUBLIC_URL", "http://mcp.example.com", "must use https:// unless the host is loopback"),
    ("PUBLIC_URL", "https://mcp.example.com/prefix", "without a path"),
    ("HOST", "bad host!", "must be an IP address or host name"),
    ("PORT", "70000", "must be a whole number from 1 to 65535"),
    ("PORT", "eighty", "must be a whole number from 1 to 65535"),
    ("DEBUG", "maybe", "must be true or false"),
    ("DATABASE_URL", "mysql://db/x", "scheme must be sqlite or postgresql"),
    ("DATABASE_URL", "postgresql://host-only", "must look like postgresql://"),
    ("DATABASE_URL", "sqlite://", "must look like sqlite:////abs/path"),
    ("REDIS_URL", "memcached://127.0.0.1", "must be a redis://, rediss:// or unix:// URL"),
    ("SECRET_KEY", "short", "must be at least 50 random characters"),
    ("TOKEN_ENCRYPTION_KEYS", f"{KEY},not-a-key", "key 2 is not a Fernet key"),
    ("MICROSOFT_CLIENT_ID", "my-app", "must be the application (client) ID, a GUID"),
    ("MICROSOFT_TENANT_ID", "not a tenant", "must be organizations, common, a tenant GUID"),
    ("MICROSOFT_ALLOWED_TENANTS", "contoso.com", "must list tenant GUIDs"),
    ("MICROSOFT_CLOUD", "mars", "must be one of global, usgov, usgov-dod, china"),
    ("MICROSOFT_LOGIN_URL", "http://login.example.com", "must use https://"),
    ("MICROSOFT_GRAPH_URL", "https://graph.example.com/v1.0", "without a path"),
    ("CIMD_ALLOWED_HOSTS", "https://claude.ai", "must list host names"),
    ("CIMD_ALLOW_LOOPBACK", "maybe", "must be true or false"),
    ("CIMD_ALLOW_LOOPBACK", "true", "is for tests and development only"),
    ("M365_TOOLSETS", "mail,files", "must list some of mail, calendar, contacts, people, teams"),
    ("M365_READ_ONLY", "sometimes", "must be true or false"),
    ("M365_SEND_ALLOWED_DOMAINS", "@contoso.com", "must list domains"),
    ("LOG_FORMAT", "xml", "must be one of text, json"),
    ("LOG_LEVEL", "loud", "must be one of debug, info, warning, error"),
    ("FORWARDED_ALLOW_IPS", "10.0.0.1,proxy.local", "must list IP addresses or networks"),
    ("MICROSOFT_TOKEN_REFRESH_IN_PROCESS", "cron", "must be true or false"),
    ("MICROSOFT_TOKEN_REFRESH_INTERVAL", "0", "must be a whole number from 1 to 3600"),
]


@pytest.mark.parametrize(("name", "value", "problem"), INVALID)
def test_it_refuses_an_invalid_value_naming_the_variable(
    load, name: str, value: str, problem: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        load(**{**PRODUCTION, name: value})
    message = str(raised.value)
    assert message.startswith(f"{name}: ")
    assert problem in message
    assert "\n" not in message


@pytest.mark.parametrize(
    "name",
    ["SECRET_KEY", "TOKEN_ENCRYPTION_KEYS", "MICROSOFT_CLIENT_ID", "MICROSOFT_CLIENT_SECRET"],
)
def test_it_requires_secrets_in_production_mode(load, name: str) -> None:
    values = {k: v for k, v in PRODUCTION.items() if k != name}
    with pytest.raises(ConfigError, match=f"^{name}: is required in production mode"):
        load(**values)


def test_it_accepts_a_complete_production_configuration(load) -> None:
    deployment = load(**{**PRODUCTION, "TOKEN_ENCRYPTION_KEYS": f"{KEY}, {KEY}"})
    assert deployment.debug is False
    assert deployment.token_encryption_keys == (KEY, KEY)
    assert deployment.microsoft.configured

"""Everything a deployment configures, read once from the environment and validated.

``settings.py`` turns a ``Deployment`` into Django settings; tests build one from a plain dict.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from cryptography.fernet import Fernet

from config.env import ConfigError, Env, is_loopback_host, read_dotenv

# Sign-in authority and Graph host of each Microsoft cloud (learn.microsoft.com: "National
# clouds"; tokens from one cloud are not accepted by another).
MICROSOFT_CLOUDS: dict[str, tuple[str, str]] = {
    "global": ("https://login.microsoftonline.com", "https://graph.microsoft.com"),
    "usgov": ("https://login.microsoftonline.us", "https://graph.microsoft.us"),
    "usgov-dod": ("https://login.microsoftonline.us", "https://dod-graph.microsoft.us"),
    "china": (
        "https://login.partner.microsoftonline.cn",
        "https://microsoftgraph.chinacloudapi.cn",
    ),
}
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
DOMAIN = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", re.I)
HOSTNAME = re.compile(r"^[A-Za-z0-9.:\-\[\]]{1,253}$")
DEV_SECRETS_FILE = "dev-secrets.env"
# The groups of Microsoft 365 tools a deployment may offer (graph_tools.tooling.TOOLSETS).
M365_TOOLSETS = ("mail", "calendar", "contacts", "people", "teams", "meetings")


@dataclass(frozen=True)
class Microsoft:
    client_id: str
    client_secret: str
    tenant_id: str
    allowed_tenants: tuple[str, ...]
    cloud: str
    login_url: str
    graph_url: str

    @property
    def configured(self) -> bool:
        return bool(self.client_id and self.client_secret)


@dataclass(frozen=True)
class M365Policy:
    """What the tools may do in this deployment, whatever a person approves."""

    toolsets: tuple[str, ...]  # the groups offered; tools of the others are not listed
    read_only: bool  # no tool that changes or sends anything is offered
    send_allowed_domains: tuple[str, ...]  # recipients must be in these; () allows any

    def sends_to(self, address: str) -> bool:
        if not self.send_allowed_domains:
            return True
        domain = address.rpartition("@")[2].lower()
        return any(
            domain == allowed or domain.endswith(f".{allowed}")
            for allowed in self.send_allowed_domains
        )


@dataclass(frozen=True)
class TokenRefresh:
    """Whether each server process refreshes expiring Microsoft tokens itself, how often."""

    in_process: bool  # off when cron or a systemd timer runs `refresh_graph_tokens`
    interval_seconds: int


@dataclass(frozen=True)
class Deployment:
    debug: bool
    public_url: str
    host: str
    port: int
    database: dict[str, Any]
    redis_url: str
    secret_key: str
    token_encryption_keys: tuple[str, ...]
    microsoft: Microsoft
    cimd_allowed_hosts: tuple[str, ...]
    cimd_allow_loopback: bool
    m365: M365Policy
    log_format: str
    log_level: str
    forwarded_allow_ips: str
    token_refresh: TokenRefresh

    @property
    def mcp_resource_url(self) -> str:
        # The canonical MCP server URI (MCP authorization, "Canonical Server URI"): no trailing
        # slash, and the RFC 8707 `resource` every token must be bound to.
        return f"{self.public_url}/mcp"

    @property
    def public_host(self) -> str:
        return urlsplit(self.public_url).hostname or ""

    @property
    def https(self) -> bool:
        return self.public_url.startswith("https://")


def load_deployment(values: dict[str, str], *, var_dir: Path) -> Deployment:
    env = Env(values)
    host, port = _host(env), env.integer("PORT", 8000, low=1, high=65535)
    public_url = env.origin("PUBLIC_URL", f"http://127.0.0.1:{port}")
    # DEBUG defaults on only for a loopback PUBLIC_URL: a real deployment that forgets to set
    # it lands in production mode, never in debug mode with generated secrets.
    debug = env.flag("DEBUG", default=is_loopback_host(urlsplit(public_url).hostname or ""))
    secret_key, keys = _secrets(env, debug=debug, var_dir=var_dir)
    return Deployment(
        debug=debug,
        public_url=public_url,
        host=host,
        port=port,
        database=parse_database_url(env.text("DATABASE_URL", f"sqlite:///{var_dir}/db.sqlite3")),
        redis_url=_redis_url(env),
        secret_key=secret_key,
        token_encryption_keys=keys,
        microsoft=_microsoft(env, debug=debug),
        cimd_allowed_hosts=_cimd_allowed_hosts(env),
        cimd_allow_loopback=_cimd_allow_loopback(env, debug=debug),
        m365=_m365_policy(env),
        log_format=env.choice("LOG_FORMAT", "text", ("text", "json")),
        log_level=env.choice("LOG_LEVEL", "info", ("debug", "info", "warning", "error")).upper(),
        forwarded_allow_ips=_forwarded_allow_ips(env),
        token_refresh=TokenRefresh(
            in_process=env.flag("MICROSOFT_TOKEN_REFRESH_IN_PROCESS", default=True),
            interval_seconds=env.integer("MICROSOFT_TOKEN_REFRESH_INTERVAL", 300, low=1, high=3600),
        ),
    )


def _host(env: Env) -> str:
    host = env.text("HOST", "127.0.0.1")
    if not HOSTNAME.match(host):
        raise ConfigError("HOST", f"must be an IP address or host name to listen on, got {host!r}")
    return host


def _forwarded_allow_ips(env: Env) -> str:
    addresses = env.items("FORWARDED_ALLOW_IPS") or ["127.0.0.1"]
    for address in addresses:
        try:
            if address != "*":
                ipaddress.ip_network(address, strict=False)
        except ValueError:
            raise ConfigError(
                "FORWARDED_ALLOW_IPS", f"must list IP addresses or networks, got {address!r}"
            ) from None
    return ",".join(addresses)


def _cimd_allowed_hosts(env: Env) -> tuple[str, ...]:
    if "CIMD_ALLOWED_HOSTS" in env.values and not env.is_set("CIMD_ALLOWED_HOSTS"):
        return ()  # set but empty: no client may use a metadata document
    hosts = tuple(host.lower() for host in env.items("CIMD_ALLOWED_HOSTS")) or ("*",)
    for host in hosts:
        if host != "*" and not DOMAIN.match(host.removeprefix(".")):
            raise ConfigError("CIMD_ALLOWED_HOSTS", f"must list host names, got {host!r}")
    return hosts


def _m365_policy(env: Env) -> M365Policy:
    toolsets = tuple(dict.fromkeys(name.lower() for name in env.items("M365_TOOLSETS")))
    unknown = [name for name in toolsets if name not in M365_TOOLSETS]
    if unknown:
        raise ConfigError(
            "M365_TOOLSETS", f"must list some of {', '.join(M365_TOOLSETS)}, got {unknown[0]!r}"
        )
    domains = tuple(domain.lower() for domain in env.items("M365_SEND_ALLOWED_DOMAINS"))
    for domain in domains:
        if not DOMAIN.match(domain):
            raise ConfigError("M365_SEND_ALLOWED_DOMAINS", f"must list domains, got {domain!r}")
    return M365Policy(
        toolsets=toolsets or M365_TOOLSETS,
        read_only=env.flag("M365_READ_ONLY", default=False),
        send_allowed_domains=domains,
    )


def _cimd_allow_loopback(env: Env, *, debug: bool) -> bool:
    # Tests and development only: lets the metadata-document fetcher reach this machine
    # (oauth_bridge/cimd.py). In production it would reopen the SSRF path the fetcher closes.
    allowed = env.flag("CIMD_ALLOW_LOOPBACK", default=False)
    if allowed and not debug:
        raise ConfigError(
            "CIMD_ALLOW_LOOPBACK", "is for tests and development only, refused with DEBUG off"
        )
    return allowed


def _redis_url(env: Env) -> str:
    url = env.text("REDIS_URL")
    if url and urlsplit(url).scheme not in ("redis", "rediss", "unix"):
        raise ConfigError("REDIS_URL", f"must be a redis://, rediss:// or unix:// URL, got {url!r}")
    return url


SQLITE_INIT = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"


def parse_database_url(url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if parts.netloc or not path or path == "/":
            raise ConfigError("DATABASE_URL", f"must look like sqlite:////abs/path, got {url!r}")
        # Wait for a write lock instead of failing at once when several requests write. WAL lets
        # reads go on during a write, and with synchronous=NORMAL a commit no longer waits for
        # the disk (a power cut may lose the last commits, never corrupt the file): every tool
        # call commits an audit row. Connections are kept, not reopened for every query (the
        # last one to close also checkpoints the WAL): see docs/performance.md.
        options = {"timeout": 20, "init_command": SQLITE_INIT}
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path,
            "OPTIONS": options,
            "CONN_MAX_AGE": 600,
        }
    if parts.scheme in ("postgres", "postgresql"):
        name = unquote(parts.path.lstrip("/"))
        if not parts.hostname or not name:
            raise ConfigError(
                "DATABASE_URL", "must look like postgresql://user:password@host:port/database"
            )
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname,
            "PORT": str(parts.port or ""),
            "OPTIONS": dict(parse_qsl(parts.query)),
            "CONN_HEALTH_CHECKS": True,
        }
    scheme = parts.scheme or "(none)"
    raise ConfigError("DATABASE_URL", f"scheme must be sqlite or postgresql, got {scheme!r}")


def _microsoft(env: Env, *, debug: bool) -> Microsoft:
    cloud = env.choice("MICROSOFT_CLOUD", "global", tuple(MICROSOFT_CLOUDS))
    login_default, graph_default = MICROSOFT_CLOUDS[cloud]
    client_id = env.text("MICROSOFT_CLIENT_ID")
    if client_id and not GUID.match(client_id):
        raise ConfigError("MICROSOFT_CLIENT_ID", "must be the application (client) ID, a GUID")
    client_secret = env.text("MICROSOFT_CLIENT_SECRET")
    if not debug:
        for name, value in (
            ("MICROSOFT_CLIENT_ID", client_id),
            ("MICROSOFT_CLIENT_SECRET", client_secret),
        ):
            if not value:
                raise ConfigError(name, "is required in production mode (DEBUG off)")
    return Microsoft(
        client_id=client_id.lower(),
        client_secret=client_secret,
        tenant_id=_tenant(env),
        allowed_tenants=_allowed_tenants(env),
        cloud=cloud,
        login_url=env.origin("MICROSOFT_LOGIN_URL", login_default),
        graph_url=env.origin("MICROSOFT_GRAPH_URL", graph_default),
    )


def _tenant(env: Env) -> str:
    tenant = env.text("MICROSOFT_TENANT_ID", "organizations").lower()
    if tenant in ("organizations", "common") or GUID.match(tenant) or DOMAIN.match(tenant):
        return tenant
    raise ConfigError(
        "MICROSOFT_TENANT_ID",
        f"must be organizations, common, a tenant GUID or a verified domain, got {tenant!r}",
    )


def _allowed_tenants(env: Env) -> tuple[str, ...]:
    tenants = tuple(tenant.lower() for tenant in env.items("MICROSOFT_ALLOWED_TENANTS"))
    for tenant in tenants:
        if not GUID.match(tenant):
            raise ConfigError(
                "MICROSOFT_ALLOWED_TENANTS", f"must list tenant GUIDs, got {tenant!r}"
            )
    return tenants


def _secrets(env: Env, *, debug: bool, var_dir: Path) -> tuple[str, tuple[str, ...]]:
    if not (env.is_set("SECRET_KEY") and env.is_set("TOKEN_ENCRYPTION_KEYS")):
        if not debug:
            name = "SECRET_KEY" if not env.is_set("SECRET_KEY") else "TOKEN_ENCRYPTION_KEYS"
            raise ConfigError(name, "is required in production mode (DEBUG off)")
        env = Env({**dev_secrets(var_dir), **{k: v for k, v in env.values.items() if v.strip()}})
    secret_key = env.text("SECRET_KEY")
    if len(secret_key) < 50 or len(set(secret_key)) < 5:
        raise ConfigError("SECRET_KEY", "must be at least 50 random characters")
    keys = tuple(env.items("TOKEN_ENCRYPTION_KEYS"))
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            raise ConfigError(
                "TOKEN_ENCRYPTION_KEYS",
                f"key {position} is not a Fernet key (32 url-safe "
                "base64-encoded bytes; make one with `python -c 'from cryptography.fernet "
                "import Fernet; print(Fernet.generate_key().decode())'`)",
            ) from None
    if not keys:
        raise ConfigError("TOKEN_ENCRYPTION_KEYS", "must list at least one Fernet key")
    return secret_key, keys


def dev_secrets(var_dir: Path) -> dict[str, str]:
    """Local development secrets, generated once into ``var/`` (git-ignored) and then reused."""
    path = var_dir / DEV_SECRETS_FILE
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        draft = var_dir / f".{DEV_SECRETS_FILE}.{secrets.token_hex(8)}"
        draft.write_text(
            "# Generated on first run for local development only. Never use in production.\n"
            f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
            f"TOKEN_ENCRYPTION_KEYS={Fernet.generate_key().decode()}\n",
            encoding="utf-8",
        )
        draft.chmod(0o600)
        # link() is atomic and refuses to overwrite: when several processes start at once,
        # exactly one file wins and every process reads the same secrets.
        with contextlib.suppress(FileExistsError):
            os.link(draft, path)
        draft.unlink()
    return read_dotenv(path)

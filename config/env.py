"""Typed, fail-loud readers for configuration variables.

Every reader takes the variable's name and raises ``ConfigError`` with a one-line message that
names the variable and says what is wrong, so a misconfigured deployment stops at start-up
instead of misbehaving later.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import SplitResult, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


class ConfigError(ImproperlyConfigured):
    def __init__(self, name: str, problem: str) -> None:
        self.name = name
        super().__init__(f"{name}: {problem}")


class Env:
    """A read-only view of the environment with validating getters."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self.values = values

    def is_set(self, name: str) -> bool:
        return self.values.get(name, "").strip() != ""

    def text(self, name: str, default: str = "") -> str:
        return self.values.get(name, "").strip() or default

    def flag(self, name: str, default: bool) -> bool:
        raw = self.text(name).lower()
        if not raw:
            return default
        if raw in TRUE_WORDS:
            return True
        if raw in FALSE_WORDS:
            return False
        raise ConfigError(name, f"must be true or false, got {raw!r}")

    def integer(self, name: str, default: int, *, low: int, high: int) -> int:
        raw = self.text(name)
        if not raw:
            return default
        try:
            value = int(raw)
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            raise ConfigError(name, f"must be a whole number from {low} to {high}, got {raw!r}")
        return value

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        raw = self.text(name, default).lower()
        if raw not in choices:
            raise ConfigError(name, f"must be one of {', '.join(choices)}, got {raw!r}")
        return raw

    def origin(self, name: str, default: str) -> str:
        return parse_origin(name, self.text(name, default))

    def items(self, name: str) -> list[str]:
        return [item.strip() for item in self.text(name).split(",") if item.strip()]


def is_loopback_host(host: str) -> bool:
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_origin(name: str, raw: str) -> str:
    """Validate an ``http(s)://host[:port]`` base URL and return it without a trailing slash.

    Plain ``http`` is accepted only for a loopback host, so a misconfiguration can never send
    tokens over an unencrypted network path.
    """
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise ConfigError(name, f"is not a valid URL ({exc}), got {raw!r}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(name, f"must be an http:// or https:// URL with a host, got {raw!r}")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ConfigError(name, f"must not carry credentials, a query or a fragment, got {raw!r}")
    if parts.path not in ("", "/"):
        raise ConfigError(name, f"must be scheme://host[:port] without a path, got {raw!r}")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise ConfigError(name, f"must use https:// unless the host is loopback, got {raw!r}")
    return _origin(parts, port)


def _origin(parts: SplitResult, port: int | None) -> str:
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    default_port = {"http": 80, "https": 443}[parts.scheme]
    netloc = host if port in (None, default_port) else f"{host}:{port}"
    return f"{parts.scheme}://{netloc}"


def read_dotenv(path: Path) -> dict[str, str]:
    """Read ``KEY=VALUE`` lines from an optional ``.env`` file (comments and quotes allowed)."""
    if not path.is_file():
        return {}
    values: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.removeprefix("export ").partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key.isidentifier():
            raise ConfigError(f"{path.name} line {number}", "expected KEY=VALUE")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key] = value
    return values

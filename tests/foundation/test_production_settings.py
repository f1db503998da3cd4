"""Production mode (DEBUG off, an https PUBLIC_URL) hardens cookies and transport."""

from __future__ import annotations

import json
import subprocess
import sys

from cryptography.fernet import Fernet

from tests.processes import REPO, server_env

PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({name: getattr(s, name) for name in (
    "DEBUG", "SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME", "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "X_FRAME_OPTIONS", "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS")}))
"""


def production_settings() -> dict[str, object]:
    env = server_env(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "false",
            "PUBLIC_URL": "https://mcp.contoso.example",
            "SECRET_KEY": "k" * 40 + "0123456789",
            "TOKEN_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    loaded: dict[str, object] = json.loads(result.stdout)
    return loaded


def test_it_hardens_cookies_and_transport() -> None:
    settings = production_settings()
    assert settings["DEBUG"] is False
    # RFC 6265bis §4.1.3.2: __Host- cookies are Secure, host-only and Path=/.
    assert settings["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert settings["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["CSRF_COOKIE_SECURE"] is True
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert settings["SECURE_SSL_REDIRECT"] is True
    assert settings["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert settings["X_FRAME_OPTIONS"] == "DENY"
    assert settings["CSRF_TRUSTED_ORIGINS"] == ["https://mcp.contoso.example"]
    assert "mcp.contoso.example" in settings["ALLOWED_HOSTS"]  # type: ignore[operator]

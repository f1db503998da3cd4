"""oauth_bridge's own settings, read through one object (the django-oauth-toolkit pattern):
``settings.OAUTH_BRIDGE = {"NAME": value}`` overrides a default below."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Anonymous dynamic client registrations accepted per client address and hour.
    "REGISTRATIONS_PER_HOUR": 20,
}


class BridgeSettings:
    def __getattr__(self, name: str) -> Any:
        if name not in DEFAULTS:
            raise AttributeError(f"unknown oauth_bridge setting {name!r}")
        return getattr(settings, "OAUTH_BRIDGE", {}).get(name, DEFAULTS[name])


bridge_settings = BridgeSettings()

"""Check the Microsoft configuration against Entra and say what is wrong in words.

In order: the settings are there; the discovery document of the configured cloud and tenant
answers with this cloud's issuer; Entra hands out an app-only token for the client id and
secret (the token is dropped unread); Entra accepts the redirect URI this server sends, which
is printed for comparison with the app registration. Exits non-zero if anything is wrong.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from oauth_bridge.microsoft_check import CHECKS


class Command(BaseCommand):
    help = "Check the Microsoft (Entra) configuration: tenant, cloud, client secret, redirect URI."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = 0
        for name, check in CHECKS:
            problem, text = check()
            problems += problem
            self.stdout.write(f"{name}: {'problem' if problem else 'ok'}: {text}")
            if problem and name == "configuration":
                break  # nothing else can be checked without the app's credentials
        if problems:
            raise CommandError(f"{problems} problem(s) with the Microsoft configuration")

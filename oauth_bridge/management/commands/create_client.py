"""Pre-register an OAuth client for an assistant that cannot register itself (no DCR, no
Client ID Metadata Document), and print its credentials once.

--public (the default): PKCE only, no secret, for apps on the person's device. --confidential:
a client secret for client_secret_basic or client_secret_post, printed this once; only its
hash is kept. Running it again with the same name and settings prints the existing client id
(never a new secret); with other settings it refuses. Two runs at once create one client.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oauth_bridge.services import ClientRefused, PreRegistered, client_preregister


class Command(BaseCommand):
    help = "Pre-register a public or confidential OAuth client; prints its credentials once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="What people see on the consent page.")
        parser.add_argument(
            "--redirect-uri",
            action="append",
            required=True,
            dest="redirect_uris",
            help="https, or http on a loopback address (RFC 8252); repeat for several.",
        )
        kind = parser.add_mutually_exclusive_group()
        kind.add_argument(
            "--public",
            action="store_false",
            dest="confidential",
            default=False,
            help="PKCE only (the default).",
        )
        kind.add_argument(
            "--confidential", action="store_true", help="With a client secret, shown once."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be created; create nothing."
        )

    def handle(
        self,
        *args: Any,
        name: str,
        redirect_uris: list[str],
        confidential: bool,
        dry_run: bool,
        **options: Any,
    ) -> None:
        try:
            result = client_preregister(
                name=name, redirect_uris=redirect_uris, confidential=confidential, dry_run=dry_run
            )
        except ClientRefused as exc:
            raise CommandError(str(exc)) from None
        prefix = "dry run: " if dry_run else ""
        if result.application.pk is None:
            self.stdout.write(f"dry run: would create {describe(result)}")
        elif result.created:
            self.stdout.write(f"Created {describe(result)}")
            self._credentials(result)
        else:
            self.stdout.write(
                f"{prefix}The client {name!r} exists already: client_id "
                f"{result.application.client_id} (a secret is only shown when it is created)"
            )

    def _credentials(self, result: PreRegistered) -> None:
        self.stdout.write(f"client_id: {result.application.client_id}")
        if result.client_secret is None:
            self.stdout.write("token endpoint authentication: none (public client, PKCE S256)")
            return
        self.stdout.write(f"client_secret: {result.client_secret}")
        self.stdout.write("token endpoint authentication: client_secret_basic or _post")
        self.stdout.write("The secret is shown this once; only its hash is kept.")


def describe(result: PreRegistered) -> str:
    application = result.application
    uris = ", ".join(application.redirect_uris.split())
    return f"the {application.client_type} client {application.name!r} (redirect URIs {uris})"

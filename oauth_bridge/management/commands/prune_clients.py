"""Delete self-registered clients nobody uses: open registration (DCR, and CIMD) lets anyone
create clients, and most are registered once and never used again.

A client goes when it registered itself (DCR or CIMD; never one an administrator created),
it registered and was last used more than --older-than days ago, it is not disabled, and it
holds no live access token, refresh token or authorization code. The admin's "Delete unused
clients" action uses the same rule (oauth_bridge.selectors.clients_unused_list).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oauth_bridge.services import clients_prune


class Command(BaseCommand):
    help = "Delete self-registered (DCR/CIMD) clients without tokens, unused for DAYS days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=30,
            metavar="DAYS",
            help="Only clients registered and last used more than DAYS days ago (default 30).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be deleted; delete nothing."
        )

    def handle(self, *args: Any, older_than: int, dry_run: bool, **options: Any) -> None:
        if older_than < 0:
            raise CommandError("--older-than must be 0 or more days")
        pruned = clients_prune(
            older_than=timedelta(days=older_than), dry_run=dry_run, progress=self.stdout.write
        )
        if pruned.failed:
            raise CommandError(
                f"{len(pruned.failed)} client(s) could not be deleted (see above); run again"
            )
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(self.style.SUCCESS(f"{len(pruned.deleted)} unused client(s) {verb}."))

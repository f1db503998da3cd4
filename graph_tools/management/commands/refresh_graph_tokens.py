"""Refresh the Microsoft tokens that expire within --within minutes, for cron or a timer.

For deployments whose people stay idle for long: a refresh keeps their sign-in alive (Entra
refresh tokens lapse after 90 days without use) and a tool call then finds a fresh token.
Servers do the same by themselves unless MICROSOFT_TOKEN_REFRESH_IN_PROCESS=false.

Safe to run while servers run and while another run is under way: each connection is
refreshed under its single-flight lease, and only if it still expires once the lease is held,
so no refresh token is ever redeemed twice (graph_tools.services). A person Microsoft refuses
is marked as needing to sign in and reported; Entra being unreachable or failing is a failure
of the run (non-zero exit), after every other connection had its turn.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from graph_tools.selectors import connections_expiring_list
from graph_tools.services import (
    RefreshOutcome,
    connections_refresh_expiring,
    refresh_summary,
)


class Command(BaseCommand):
    help = "Refresh the Microsoft tokens that expire within --within minutes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--within", type=int, default=30, help="Minutes ahead to look (default 30)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be refreshed; change nothing."
        )
        parser.add_argument(
            "--batch-size", type=int, default=100, help="Connections per progress line."
        )

    def handle(
        self, *args: Any, within: int, dry_run: bool, batch_size: int, **options: Any
    ) -> None:
        if within < 1:
            raise CommandError("--within must be at least 1 minute")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        window = timedelta(minutes=within)
        if dry_run:
            count = connections_expiring_list(within=window).count()
            self.stdout.write(f"dry run: {count} connection(s) would be refreshed")
            return
        tally = connections_refresh_expiring(
            within=window,
            batch_size=batch_size,
            progress=lambda tally: self.stdout.write(f"{sum(tally.values())} checked"),
        )
        self.stdout.write(refresh_summary(tally))
        if tally[RefreshOutcome.FAILED]:
            raise CommandError(
                f"{tally[RefreshOutcome.FAILED]} refresh(es) failed: Microsoft did not answer or "
                "answered with an error (see the log); run again later"
            )

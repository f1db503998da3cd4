"""Delete what has run its course: expired OAuth tokens and grants, finished browser sessions
(with the Entra sign-ins and consent requests they held), spent replay records of
authorization codes, and audit rows older than --audit-days.

Expired tokens and grants are django-oauth-toolkit's own ``clear_expired`` (its ``cleartokens``),
whose per-kind counts are relayed as progress. Everything else goes in batches, each its own
short statement, so the server keeps working meanwhile; two runs at once only share the work.
The command lives in mcp_gateway because it is the one app that may import all the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from oauth2_provider.models import clear_expired

from mcp_gateway.models import ToolCall
from oauth_bridge.selectors import redeemed_codes_spent_list

DOT_LOGGER = "oauth2_provider.models"  # where clear_expired reports its counts


class DryRun(Exception):
    """Raised to roll back a dry run of clear_expired."""


class Command(BaseCommand):
    help = "Delete expired OAuth tokens and grants, finished sessions and old audit rows."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--audit-days", type=int, default=180, help="Keep this many days of tool calls."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would go; delete nothing."
        )
        parser.add_argument("--batch-size", type=int, default=1000, help="Rows per DELETE.")

    def handle(
        self, *args: Any, audit_days: int, dry_run: bool, batch_size: int, **options: Any
    ) -> None:
        if audit_days < 1:
            raise CommandError("--audit-days must be at least 1")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        self.dry_run, self.batch_size = dry_run, batch_size
        self._oauth_tokens()
        self._sessions()
        self._purge("spent authorization code records", redeemed_codes_spent_list())
        cutoff = timezone.now() - timedelta(days=audit_days)
        tool_calls = ToolCall.objects.filter(created_at__lt=cutoff)
        self._purge(f"tool calls older than {audit_days} days", tool_calls)
        self.stdout.write(self.style.SUCCESS("dry run: nothing deleted" if dry_run else "done"))

    def _oauth_tokens(self) -> None:
        prefix = "dry run: OAuth: " if self.dry_run else "OAuth: "
        with relayed(DOT_LOGGER, lambda line: self.stdout.write(f"{prefix}{line}")):
            if not self.dry_run:
                clear_expired()
                return
            # DOT's own rules decide what is expired; a rolled-back run counts them exactly.
            try:
                with transaction.atomic():
                    clear_expired()
                    raise DryRun
            except DryRun:
                pass

    def _sessions(self) -> None:
        engine = import_module(settings.SESSION_ENGINE).SessionStore
        if hasattr(engine, "get_model_class"):  # the database engines (db, cached_db)
            expired = engine.get_model_class().objects.filter(expire_date__lt=timezone.now())
            self._purge("expired sessions", expired)
        elif not self.dry_run:
            try:
                engine.clear_expired()
            except NotImplementedError:  # the cookie engine: browsers hold them
                self.stdout.write(f"sessions: {settings.SESSION_ENGINE} keeps none to purge")

    def _purge(self, label: str, rows: QuerySet[Any]) -> None:
        if self.dry_run:
            self.stdout.write(f"dry run: {label}: {rows.count()} would be deleted")
            return
        deleted = 0
        for count in deleted_in_batches(rows, batch_size=self.batch_size):
            deleted += count
            self.stdout.write(f"{label}: {deleted} deleted")
        if not deleted:
            self.stdout.write(f"{label}: 0 deleted")


def deleted_in_batches(rows: QuerySet[Any], *, batch_size: int) -> Iterator[int]:
    """Delete ``rows`` a batch at a time (the filter applies again to each batch, so a row
    that stopped matching meanwhile stays); yield how many each batch deleted."""
    model: type[Model] = rows.model
    while batch := list(rows.values_list("pk", flat=True)[:batch_size]):
        _total, per_model = rows.filter(pk__in=batch).delete()
        yield per_model.get(model._meta.label, 0)


class LineRelay(logging.Handler):
    def __init__(self, write: Callable[[str], None]) -> None:
        super().__init__(logging.INFO)
        self.write = write

    def emit(self, record: logging.LogRecord) -> None:
        self.write(record.getMessage())


@contextmanager
def relayed(name: str, write: Callable[[str], None]) -> Iterator[None]:
    """Hand a library logger's INFO lines to ``write`` for a while (instead of the log)."""
    logger = logging.getLogger(name)
    handler, level, propagate = LineRelay(write), logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate

"""Re-encrypt every stored Microsoft token with the first key of TOKEN_ENCRYPTION_KEYS.

Rotating keys: put the new key first and keep the old ones after it, restart every server
process, run this command, then remove the old keys. The command works on raw ciphertext
(tokens are never decrypted into Python strings, nor encrypted twice through the ORM), rewrites
each row in one UPDATE, commits batch by batch and skips values already under the first key,
so it is idempotent and a run that was killed halfway is finished by running it again.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from cryptography.fernet import InvalidToken
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import TextField, Value
from django.db.models.functions import Cast

from graph_tools.fields import EncryptedTextField, ciphertext_rotate
from graph_tools.models import MicrosoftConnection

COLUMNS = tuple(
    field.name
    for field in MicrosoftConnection._meta.concrete_fields
    if isinstance(field, EncryptedTextField)
)
ATTEMPTS = 3  # a row a refresh rewrites while we work on it is read again
MAX_LISTED_ROWS = 50

Row = tuple[int, int, dict[str, str | None]]  # pk, token_version, ciphertext per column


class Command(BaseCommand):
    help = "Re-encrypt the stored Microsoft tokens with the first TOKEN_ENCRYPTION_KEYS key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction.")

    def handle(self, *args: Any, dry_run: bool, batch_size: int, **options: Any) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        total = MicrosoftConnection.objects.count()
        tally: Counter[str] = Counter()
        unreadable: list[int] = []
        after = 0
        while batch := _raw_rows(limit=batch_size, pk__gt=after):
            with transaction.atomic():
                for row in batch:
                    outcome = self._rotate(row, dry_run=dry_run)
                    tally[outcome] += 1
                    if outcome == "unreadable":
                        unreadable.append(row[0])
            after = batch[-1][0]
            self.stdout.write(_progress(tally, total=total, dry_run=dry_run))
        if unreadable:
            listed = ", ".join(map(str, unreadable[:MAX_LISTED_ROWS]))
            more = "…" if len(unreadable) > MAX_LISTED_ROWS else ""
            raise CommandError(
                f"{len(unreadable)} row(s) hold a token no configured key decrypts "
                f"(ids {listed}{more}); keep their old key, or have those people sign in again"
            )
        self.stdout.write(self.style.SUCCESS("Every stored token is under the first key."))

    def _rotate(self, row: Row, *, dry_run: bool) -> str:
        for _attempt in range(ATTEMPTS):
            pk, version, ciphertexts = row
            rotated, unreadable = _rotated(ciphertexts)
            for column in unreadable:
                self.stderr.write(f"row {pk}: {column} is not readable with any configured key")
            if unreadable:
                return "unreadable"
            if not rotated:
                return "current"
            if dry_run:
                return "would re-encrypt"
            values = {column: Value(text, output_field=TextField()) for column, text in rotated}
            # Guarded by the version: a refresh that stored new tokens meanwhile must win.
            if MicrosoftConnection.objects.filter(pk=pk, token_version=version).update(**values):
                return "re-encrypted"
            fresh = _raw_rows(pk=pk)
            if not fresh:
                return "deleted meanwhile"
            row = fresh[0]
        raise CommandError(f"row {row[0]} kept changing while being re-encrypted; run again")


def _raw_rows(*, limit: int | None = None, **filters: Any) -> list[Row]:
    """Rows as stored: the Cast keeps the field's decryption out of the way."""
    raw = {f"raw_{column}": Cast(column, TextField()) for column in COLUMNS}
    rows = (
        MicrosoftConnection.objects.filter(**filters)
        .order_by("pk")
        .annotate(**raw)
        .values_list("pk", "token_version", *raw)[:limit]
    )
    return [(pk, version, dict(zip(COLUMNS, texts, strict=True))) for pk, version, *texts in rows]


def _rotated(ciphertexts: dict[str, str | None]) -> tuple[list[tuple[str, str]], list[str]]:
    rotated, unreadable = [], []
    for column, ciphertext in ciphertexts.items():
        if ciphertext is None:
            continue
        try:
            new = ciphertext_rotate(ciphertext)
        except InvalidToken:
            unreadable.append(column)
            continue
        if new is not None:
            rotated.append((column, new))
    return rotated, unreadable


def _progress(tally: Counter[str], *, total: int, dry_run: bool) -> str:
    done = sum(tally.values())
    counts = ", ".join(f"{count} {outcome}" for outcome, count in sorted(tally.items()))
    prefix = "dry run: " if dry_run else ""
    return f"{prefix}{done}/{total} rows checked ({counts})"

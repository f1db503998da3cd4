"""Writes for the Microsoft token store: keep a sign-in, hand out a valid access token, revoke.

Single-flight refresh. Entra rotates the refresh token on every refresh, so two refreshes at
once waste a round trip and race to store their refresh tokens. However many threads and
processes ask at the same time, exactly one of them calls Entra:

1. each caller notes the ``token_version`` it saw, then tries to take a lease with one
   conditional UPDATE (``… WHERE version = seen AND the lease is free or expired``);
2. the caller whose UPDATE changed a row calls Entra, then writes the new tokens, bumps the
   version and frees the lease in one UPDATE guarded by its claim id;
3. the others poll the row until the version changes (they return the new token), the lease
   is freed without one (that refresh failed: they fail too, without another attempt), or
   the lease expires (its holder died: the next caller takes over).

A lease rather than ``select_for_update``: it behaves the same on SQLite (which has no row
locks) and PostgreSQL, and no database lock or transaction stays open during the HTTP call.
Every statement commits on its own (``transaction.atomic(durable=True)``), so other
processes see a claim at once. Leases compare wall clocks: servers need NTP, as they do for
token expiry anyway. If a holder stalls past its lease, its late write is discarded (its claim
id no longer matches); Entra keeps the previous refresh token valid after a rotation
(wire shapes §1.4), so the taker-over's refresh still succeeds and nothing is lost.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import timedelta
from enum import StrEnum
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from graph_tools.access_token_cache import access_tokens, connections_changed
from graph_tools.errors import ConnectionConflict, MicrosoftTokenError, ReauthRequired
from graph_tools.models import REFRESH_MARGIN, MicrosoftConnection
from graph_tools.selectors import connection_get, connections_expiring_list
from graph_tools.token_endpoint import TokenSet, token_set_from, tokens_refresh

logger = logging.getLogger(__name__)

CLAIM_SECONDS = 30  # > the HTTP timeouts (token_endpoint) plus the write
WAIT_SECONDS = CLAIM_SECONDS + 15  # enough for a dead holder's lease to lapse and one refresh
POLL_SECONDS = 0.05
RELEASED = {"refresh_claim": None, "refresh_claimed_until": None}
MAX_PERMISSION_LENGTH = 256
MAX_ID_LENGTH = 64  # MicrosoftConnection.tenant_id / object_id


def connection_store(
    *,
    user: AbstractBaseUser,
    tenant_id: str,
    object_id: str,
    username: str,
    display_name: str,
    token_response: dict[str, Any],
    granted_permissions: Iterable[str],
) -> MicrosoftConnection:
    """Keep the tokens of a completed Entra sign-in (the parsed token response).

    Creates the person's connection or renews it; a new sign-in clears ``needs_sign_in`` and
    supersedes any refresh in flight (whose write then lands nowhere).
    """
    tenant_id, object_id = _person_ids(tenant_id, object_id)
    tokens = token_set_from(token_response)
    values = _sign_in_values(
        tokens, username=username, display_name=display_name, permissions=granted_permissions
    )
    person = MicrosoftConnection.objects.filter(
        user_id=user.pk, tenant_id=tenant_id, object_id=object_id
    )
    if _renewed(person, user_id=user.pk, tokens=tokens, values=values):
        return person.get()
    try:
        with transaction.atomic():
            return MicrosoftConnection.objects.create(
                user_id=user.pk,
                tenant_id=tenant_id,
                object_id=object_id,
                access_token=tokens.access_token,
                refresh_token=tokens.refresh_token,
                **values,
            )
    except IntegrityError:
        pass
    # Either a concurrent sign-in of the same person created the row a moment ago, or this
    # account or this Microsoft person is already linked to someone else.
    if _renewed(person, user_id=user.pk, tokens=tokens, values=values):
        return person.get()
    raise ConnectionConflict(
        "this account is linked to another Microsoft account, or this Microsoft account to "
        "another account"
    )


def _person_ids(tenant_id: str, object_id: str) -> tuple[str, str]:
    # tid and oid are GUIDs, which compare without case (RFC 9562 §4).
    if not (0 < len(tenant_id) <= MAX_ID_LENGTH and 0 < len(object_id) <= MAX_ID_LENGTH):
        raise ValueError("tenant_id and object_id must be the tid and oid claims")
    return tenant_id.lower(), object_id.lower()


def _sign_in_values(
    tokens: TokenSet, *, username: str, display_name: str, permissions: Iterable[str]
) -> dict[str, Any]:
    permissions = list(dict.fromkeys(permissions))
    if not all(isinstance(p, str) and 0 < len(p) <= MAX_PERMISSION_LENGTH for p in permissions):
        raise ValueError("granted_permissions must be permission names")
    return {
        "username": username[:256],
        "display_name": display_name[:256],
        "granted_permissions": permissions,
        "access_token_expires_at": timezone.now() + timedelta(seconds=tokens.expires_in),
        "needs_sign_in": False,
        "needs_sign_in_reason": "",
    }


def _renewed(
    person: QuerySet[MicrosoftConnection],
    *,
    user_id: int,
    tokens: TokenSet,
    values: dict[str, Any],
) -> bool:
    sealed = MicrosoftConnection.sealed_tokens(
        user_id=user_id, access_token=tokens.access_token, refresh_token=tokens.refresh_token
    )
    renewed = person.update(
        **values,
        **sealed,
        **RELEASED,
        token_version=F("token_version") + 1,
        updated_at=timezone.now(),
    )
    token_store_changed()
    return bool(renewed)


def access_token_get(*, user: AbstractBaseUser) -> str:
    """A Microsoft access token for the person, refreshed first if it expires within minutes.

    Raises ``ReauthRequired`` when the person has to sign in again, ``MicrosoftTokenError``
    when Entra is unavailable (retry later). Must not run inside a transaction.
    """
    cached = access_tokens.get(user.pk)
    if cached is not None:
        return cached
    generation = access_tokens.generation
    connection = _connection_usable(user=user)
    if not connection.expires_soon(now=timezone.now()):
        usable_until = connection.access_token_expires_at - REFRESH_MARGIN
        access_tokens.put(
            user.pk, connection.access_token, usable_until=usable_until, generation=generation
        )
        return connection.access_token
    return _refreshed(user=user, stale_version=connection.token_version)


def connection_refresh(*, user: AbstractBaseUser) -> str:
    """Refresh now, whatever the expiry (Graph answered 401), and return the new access token.

    Callers who ask while a refresh is in flight share its result instead of starting another.
    """
    connection = _connection_usable(user=user)
    return _refreshed(user=user, stale_version=connection.token_version)


class RefreshOutcome(StrEnum):
    REFRESHED = "refreshed"
    SKIPPED = "skipped"  # renewed meanwhile, or being renewed by another process right now
    NEEDS_SIGN_IN = "need to sign in again"
    FAILED = "failed"  # Entra unreachable, throttling or a server error: try again later


def refresh_summary(tally: Counter[RefreshOutcome]) -> str:
    """``2 refreshed, 0 skipped, 1 need to sign in again, 0 failed``: counts, never names."""
    return ", ".join(f"{tally[outcome]} {outcome}" for outcome in RefreshOutcome)


def connection_refresh_expiring(*, connection_id: int, within: timedelta) -> RefreshOutcome:
    """Refresh one connection if, once this caller holds its lease, it still expires soon.

    The lease is taken only at the token version that was seen expiring: when another process
    (or a tool call) renewed the tokens in between, the version has moved on and this caller
    skips, so two runs at once never redeem one refresh token twice. A lease held elsewhere
    means a refresh is in flight there: skipped as well.
    """
    connection = MicrosoftConnection.objects.filter(pk=connection_id).first()
    if connection is None or connection.needs_sign_in:
        return RefreshOutcome.SKIPPED
    if connection.access_token_expires_at > timezone.now() + within:
        return RefreshOutcome.SKIPPED
    claim = _claim(connection)
    if claim is None:
        return RefreshOutcome.SKIPPED
    try:
        token = _refresh_claimed(connection, claim)
    except MicrosoftTokenError:
        return RefreshOutcome.FAILED  # logged by _refresh_claimed; the lease is released
    if token is not None:
        return RefreshOutcome.REFRESHED
    refused = MicrosoftConnection.objects.filter(pk=connection_id, needs_sign_in=True).exists()
    return RefreshOutcome.NEEDS_SIGN_IN if refused else RefreshOutcome.SKIPPED


def connections_refresh_expiring(
    *,
    within: timedelta,
    batch_size: int = 100,
    stopping: Callable[[], bool] = lambda: False,
    progress: Callable[[Counter[RefreshOutcome]], None] = lambda tally: None,
) -> Counter[RefreshOutcome]:
    """Refresh every connection that expires within ``within``, batch by batch.

    ``progress`` hears the running tally after each batch; ``stopping`` is asked before each
    connection (a server shutting down). One person's failure never stops the others.
    """
    tally: Counter[RefreshOutcome] = Counter()
    after = 0
    while not stopping():
        expiring = connections_expiring_list(within=within).filter(pk__gt=after)
        batch = list(expiring.values_list("pk", flat=True)[:batch_size])
        if not batch:
            break
        for connection_id in batch:
            if stopping():
                break
            tally[connection_refresh_expiring(connection_id=connection_id, within=within)] += 1
        after = batch[-1]
        progress(tally)
    return tally


def connection_revoke(*, user: AbstractBaseUser) -> bool:
    """Forget the person's Microsoft tokens; they must sign in again. True if there were any.

    Entra has no endpoint to revoke one app's delegated tokens (only all of a person's
    sessions, via Graph ``revokeSignInSessions``), so the tokens are deleted here; a refresh in
    flight then writes nowhere.
    """
    deleted, _by_model = MicrosoftConnection.objects.filter(user_id=user.pk).delete()
    return deleted > 0


ADMIN_SIGN_IN_REASON = "an administrator asked for a new sign-in"


def connections_sign_in_require(
    *, user_ids: Iterable[int], reason: str = ADMIN_SIGN_IN_REASON
) -> int:
    """Make these people sign in to Microsoft again; return how many connections changed.

    Their stored tokens stay (a refresh in flight still lands) but are no longer handed out:
    every tool call answers "sign in again" and the consent page sends them through Entra.
    """
    changed = MicrosoftConnection.objects.filter(user_id__in=list(user_ids)).update(
        needs_sign_in=True, needs_sign_in_reason=reason[:300], updated_at=timezone.now()
    )
    token_store_changed()
    return changed


def _connection_usable(*, user: AbstractBaseUser) -> MicrosoftConnection:
    connection = connection_get(user=user)
    if connection is None:
        raise ReauthRequired("this account has no Microsoft sign-in")
    if connection.needs_sign_in:
        raise ReauthRequired(connection.needs_sign_in_reason or "Microsoft refused the sign-in")
    return connection


def _refreshed(*, user: AbstractBaseUser, stale_version: int) -> str:
    """The access token after the refresh of ``stale_version``: ours, or someone else's."""
    deadline = time.monotonic() + WAIT_SECONDS
    awaited: uuid.UUID | None = None
    while True:
        connection = _connection_usable(user=user)
        if connection.token_version != stale_version:
            return connection.access_token
        if awaited is not None and connection.refresh_claim is None:
            raise MicrosoftTokenError(
                error="temporarily_unavailable",
                description="Microsoft did not renew the sign-in just now; try again shortly",
            )
        claim = _claim(connection)
        if claim is not None:
            token = _refresh_claimed(connection, claim)
            if token is not None:
                return token
        awaited = connection.refresh_claim or awaited
        if time.monotonic() > deadline:
            raise MicrosoftTokenError(
                error="temporarily_unavailable",
                description="timed out waiting for another request to renew the sign-in",
            )
        time.sleep(POLL_SECONDS)


def _claim(connection: MicrosoftConnection) -> uuid.UUID | None:
    now = timezone.now()
    claim = uuid.uuid4()
    free = Q(refresh_claimed_until__isnull=True) | Q(refresh_claimed_until__lt=now)
    unchanged = MicrosoftConnection.objects.filter(
        free, pk=connection.pk, token_version=connection.token_version, needs_sign_in=False
    )
    taken = _commit(
        unchanged,
        refresh_claim=claim,
        refresh_claimed_until=now + timedelta(seconds=CLAIM_SECONDS),
    )
    return claim if taken else None


def _refresh_claimed(connection: MicrosoftConnection, claim: uuid.UUID) -> str | None:
    """Refresh at Entra under our claim and write the outcome.

    Returns the new access token, or None when the caller should look at the row again: the
    person must sign in (now recorded there), or our claim was superseded.
    """
    ours = MicrosoftConnection.objects.filter(pk=connection.pk, refresh_claim=claim)
    if connection.refresh_token is None:
        _needs_sign_in(ours, reason="Microsoft granted no refresh token (offline_access)")
        return None
    try:
        tokens = tokens_refresh(
            tenant_id=connection.tenant_id,
            refresh_token=connection.refresh_token,
            permissions=connection.granted_permissions,
        )
    except MicrosoftTokenError as exc:
        logger.warning("Refreshing the tokens of connection %s failed: %s", connection.pk, exc)
        if not exc.requires_sign_in:
            _commit(ours, **RELEASED)
            raise
        _needs_sign_in(ours, reason=exc.sign_in_reason)
        return None
    except BaseException:
        _commit(ours, **RELEASED)
        raise
    if not _tokens_write(ours, connection, tokens):
        return None
    logger.info("Refreshed the Microsoft tokens of connection %s", connection.pk)
    return tokens.access_token


def _tokens_write(
    ours: QuerySet[MicrosoftConnection], connection: MicrosoftConnection, tokens: TokenSet
) -> bool:
    now = timezone.now()
    sealed = MicrosoftConnection.sealed_tokens(
        user_id=connection.user_id,
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
    )
    return bool(
        _commit(
            ours,
            **sealed,
            **RELEASED,
            access_token_expires_at=now + timedelta(seconds=tokens.expires_in),
            last_refreshed_at=now,
            token_version=F("token_version") + 1,
            updated_at=now,
        )
    )


def _needs_sign_in(ours: QuerySet[MicrosoftConnection], *, reason: str) -> None:
    _commit(ours, needs_sign_in=True, needs_sign_in_reason=reason[:300], **RELEASED)


def _commit(queryset: QuerySet[MicrosoftConnection], **values: Any) -> int:
    # Durable: a claim must be visible to every process the moment it is taken, and a caller's
    # transaction must not hold row locks across the HTTP call to Entra.
    with transaction.atomic(durable=True):
        changed = queryset.update(**values)
    token_store_changed()
    return changed


def token_store_changed() -> None:
    """Some connection changed (or is about to): every process forgets the access tokens it
    remembers (graph_tools.access_token_cache), now and again once the change is committed.

    All of them, not one person's: writes are rare (a sign-in, an hourly refresh, an
    administrator's action), and a reader racing the write cannot put an old token back."""
    access_tokens.clear()
    transaction.on_commit(_token_store_committed, robust=True)


def _token_store_committed() -> None:
    access_tokens.clear()
    connections_changed.send(sender=MicrosoftConnection)

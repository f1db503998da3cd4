"""Writes for the authorization server: people, approvals, revocation."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, Grant, RefreshToken

from graph_tools.services import connection_revoke, connections_sign_in_require
from oauth_bridge.models import Approval, ClientProfile
from oauth_bridge.redirects import application_type_for, redirect_uri_problem
from oauth_bridge.selectors import clients_unused_list


def person_from_claims(*, claims: dict[str, Any]) -> User:
    """The person an Entra ID token names, created on first sign-in.

    A person is identified by tenant and object id (tid, oid), never by e-mail or UPN: those
    can be reassigned to someone else (Microsoft identity platform, "ID token claims").
    """
    username = f"{claims['tid']}.{claims['oid']}"
    user, _created = User.objects.update_or_create(
        username=username,
        defaults={
            "first_name": str(claims.get("name", ""))[:150],
            "email": str(claims.get("preferred_username", ""))[:254],
        },
    )
    return user


@transaction.atomic
def approval_record(*, user: User, application: Application, scopes: Iterable[str]) -> Approval:
    approval, _created = Approval.objects.select_for_update().get_or_create(
        user=user, application=application, defaults={"scope": ""}
    )
    approval.scope = " ".join(sorted(approval.scopes | set(scopes)))
    approval.save(update_fields=["scope", "updated_at"])
    return approval


@transaction.atomic
def approval_revoke(*, user: User, application: Application) -> None:
    """Forget the approval and end the client's access for this person at once."""
    Approval.objects.filter(user=user, application=application).delete()
    tokens_revoke(user=user, application=application)


@transaction.atomic
def person_revoke(*, user: User) -> None:
    """Revoke all of a person's access: every client's tokens and approvals (deleting the
    access tokens ends their open MCP sessions and streams: mcp_gateway.apps), the Microsoft
    tokens this server holds for them, and their browser sessions here, so nobody can
    approve a client in their name without signing in at Entra again."""
    Approval.objects.filter(user=user).delete()
    tokens_revoke(user=user)
    connection_revoke(user=user)
    person_sessions_end(user=user)


@transaction.atomic
def person_sign_in_require(*, user: User) -> None:
    """Make the person sign in at Entra again: their Microsoft connection is set aside (tool
    calls answer "sign in again") and their browser sessions here end."""
    connections_sign_in_require(user_ids=[user.pk])
    person_sessions_end(user=user)


def person_sessions_end(*, user: User) -> int:
    """End the person's Django login sessions, whatever SESSION_ENGINE keeps them in.

    Sessions in the database (the db and cached_db engines; db is the configured default)
    are found and deleted; the count is returned. Django also checks every session against
    a hash of the person's password (django.contrib.auth.get_user): people who sign in
    through Entra have no password here, so a fresh unusable one invalidates any session
    left, on every engine including signed cookies. A local administrator keeps their
    password; on an engine outside the database, changing it ends their sessions.
    """
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    if issubclass(store, DatabaseSessionStore):
        live = store.get_model_class().objects.filter(expire_date__gt=timezone.now())
        for session in live.iterator():
            if store().decode(session.session_data).get(SESSION_KEY) == str(user.pk):
                store(session_key=session.session_key).delete()
                ended += 1
    if not user.password or not user.has_usable_password():
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return ended


def tokens_revoke(*, user: User | None = None, application: Application | None = None) -> None:
    """Revoke every OAuth token and pending code of a person, a client, or both."""
    filters: dict[str, Any] = {}
    if user is not None:
        filters["user"] = user
    if application is not None:
        filters["application"] = application
    if not filters:
        raise ValueError("tokens_revoke needs a person, a client or both")
    Grant.objects.filter(**filters).delete()
    for refresh_token in RefreshToken.objects.filter(**filters, revoked__isnull=True):
        refresh_token.revoke()
    for access_token in AccessToken.objects.filter(**filters):
        access_token.revoke()


@transaction.atomic
def client_disable(*, application: Application) -> None:
    ClientProfile.objects.update_or_create(
        application=application, defaults={"disabled_at": timezone.now()}
    )
    tokens_revoke(application=application)


def client_enable(*, application: Application) -> None:
    ClientProfile.objects.filter(application=application).update(disabled_at=None)


def client_profile_create(*, application: Application, application_type: str) -> ClientProfile:
    profile, _created = ClientProfile.objects.get_or_create(
        application=application, defaults={"application_type": application_type}
    )
    return profile


def client_touch(*, application: Application) -> None:
    """Remember when a client was last used (shown to administrators)."""
    ClientProfile.objects.update_or_create(
        application=application, defaults={"last_used_at": timezone.now()}
    )


@dataclass
class ClientsPruned:
    deleted: list[str] = field(default_factory=list)  # "name (client_id)" of each client
    failed: list[str] = field(default_factory=list)


def clients_prune(
    *,
    older_than: timedelta,
    dry_run: bool = False,
    among: Iterable[int] | None = None,
    progress: Callable[[str], None] = lambda line: None,
) -> ClientsPruned:
    """Delete the clients ``clients_unused_list`` names (of ``among``, when given).

    Safe beside the server and other runs: each client is locked and checked again before
    its deletion, so a token issued meanwhile keeps it (on PostgreSQL a token insert holds a
    key-share lock on its client until it commits; SQLite serialises writers). A client
    another run deleted first is skipped. Running it again finishes what a failure left.
    """
    candidates = clients_unused_list(older_than=older_than)
    if among is not None:
        candidates = candidates.filter(pk__in=list(among))
    pruned = ClientsPruned()
    for pk, label in [(c.pk, _client_label(c)) for c in candidates.order_by("pk")]:
        try:
            deleted = dry_run or _client_prune(pk=pk, older_than=older_than)
        except DatabaseError as exc:
            pruned.failed.append(label)
            progress(f"could not delete client {label}: {type(exc).__name__}")
            continue
        if deleted:
            pruned.deleted.append(label)
            progress(f"{'would delete' if dry_run else 'deleted'} client {label}")
    return pruned


@transaction.atomic
def _client_prune(*, pk: int, older_than: timedelta) -> bool:
    # Write first: SQLite then takes its database write lock now, waiting for other writers,
    # instead of failing to upgrade a read lock later. FOR UPDATE next: on PostgreSQL it
    # waits for a token insert still holding its key-share lock on this client.
    Application.objects.filter(pk=pk).update(updated=F("updated"))
    client = Application.objects.select_for_update().filter(pk=pk).first()
    if client is None or not clients_unused_list(older_than=older_than).filter(pk=pk).exists():
        return False  # deleted by another run, or used since it was listed
    client.delete()
    return True


def _client_label(client: Application) -> str:
    # repr() escapes control characters: a self-registered name is the client's own text.
    return f"{client.name!r} ({client.client_id}, {client.registration_source})"


class ClientRefused(Exception):
    """A client cannot be pre-registered as asked; the message says why."""


@dataclass(frozen=True)
class PreRegistered:
    application: Application
    client_secret: str | None  # in clear only right after creating a confidential client
    created: bool


def client_preregister(
    *, name: str, redirect_uris: list[str], confidential: bool, dry_run: bool = False
) -> PreRegistered:
    """Register a client by hand, for an assistant that cannot register itself; once per name.

    Asked again with the same settings it returns the existing client (without a secret);
    with others it refuses. The client id derives from the name, so two runs at once cannot
    both create one (the unique client id stops the second, which then finds the first).
    """
    wanted = Application(
        client_id=hashlib.sha256(f"pre-registered client {name}".encode()).hexdigest()[:40],
        name=name,
        client_type=Application.CLIENT_CONFIDENTIAL if confidential else Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(redirect_uris),
        registration_source=Application.RegistrationSource.MANUAL,
    )
    if not confidential:
        wanted.client_secret = ""  # public clients prove nothing but PKCE (RFC 7636)
    _check_new_client(wanted, redirect_uris)
    existing = _preregistered(name=name, client_id=wanted.client_id)
    if existing is not None or dry_run:
        return _existing(existing, wanted) if existing else PreRegistered(wanted, None, False)
    secret = wanted.client_secret or None  # DOT keeps only its hash once saved
    try:
        with transaction.atomic():
            wanted.save()
            client_profile_create(
                application=wanted, application_type=application_type_for(redirect_uris)
            )
    except IntegrityError:  # another run created it a moment ago
        existing = _preregistered(name=name, client_id=wanted.client_id)
        if existing is None:
            raise
        return _existing(existing, wanted)
    return PreRegistered(wanted, secret, True)


def _check_new_client(wanted: Application, redirect_uris: list[str]) -> None:
    if not wanted.name.strip():
        raise ClientRefused("the name must not be empty")
    if not redirect_uris:
        raise ClientRefused("at least one redirect URI is needed")
    for uri in redirect_uris:
        problem = redirect_uri_problem(uri)
        if problem:
            raise ClientRefused(f"the redirect URI {uri[:200]!r} {problem}")
    try:
        wanted.full_clean(exclude=["client_secret", "client_id"])
    except ValidationError as exc:
        details = "; ".join(
            f"{field}: {' '.join(errors)}" for field, errors in exc.message_dict.items()
        )
        raise ClientRefused(details) from None


def _preregistered(*, name: str, client_id: str) -> Application | None:
    manual = Application.objects.filter(registration_source=Application.RegistrationSource.MANUAL)
    return (
        Application.objects.filter(client_id=client_id).first()
        or manual.filter(name=name).order_by("pk").first()
    )


def _existing(existing: Application, wanted: Application) -> PreRegistered:
    same = (
        existing.name == wanted.name
        and existing.client_type == wanted.client_type
        and existing.authorization_grant_type == wanted.authorization_grant_type
        and set(existing.redirect_uris.split()) == set(wanted.redirect_uris.split())
    )
    if not same:
        raise ClientRefused(
            f"a client named {existing.name!r} exists with other settings ({existing.client_type}, "
            f"redirect URIs {existing.redirect_uris}): choose another name, or change that "
            "client in the admin"
        )
    return PreRegistered(existing, None, False)

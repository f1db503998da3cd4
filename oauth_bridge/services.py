"""Writes for the authorization server: people, approvals, revocation."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, Grant, RefreshToken

from graph_tools.services import connection_revoke
from oauth_bridge.models import Approval, ClientProfile


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
    """Revoke all of a person's access: every client's tokens and approvals, and the
    Microsoft tokens this server holds for them (they must sign in again)."""
    Approval.objects.filter(user=user).delete()
    tokens_revoke(user=user)
    connection_revoke(user=user)


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

"""Reads for the authorization server."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from oauth2_provider.models import (
    AccessToken,
    Application,
    Grant,
    RefreshToken,
    refresh_token_expire_timedelta,
)

from graph_tools.models import MicrosoftConnection
from oauth_bridge.models import Approval, ClientProfile, RedeemedCode
from oauth_bridge.scopes import OIDC_SCOPES, graph_permissions_for, permission_granted


def approval_covers(*, user: User, application: Application, scopes: Iterable[str]) -> bool:
    approval = Approval.objects.filter(user=user, application=application).first()
    return approval is not None and set(scopes) <= approval.scopes


def approvals_list(*, user: User) -> QuerySet[Approval]:
    return (
        Approval.objects.filter(user=user)
        .select_related("application")
        .order_by("application__name", "application__client_id")
    )


def graph_permissions_missing(*, user: User, scopes: Iterable[str]) -> list[str]:
    """The Graph permissions the person has not granted yet for these scopes.

    Everything is missing when there is no usable Microsoft connection (never signed in, or
    Entra refused the refresh token): the person has to go through Entra again.
    """
    needed = graph_permissions_for(scopes)
    connection = MicrosoftConnection.objects.filter(user=user).first()
    if connection is None or connection.needs_sign_in:
        return needed
    granted = {permission.lower() for permission in connection.granted_permissions}
    granted |= set(OIDC_SCOPES)
    return [permission for permission in needed if not permission_granted(permission, granted)]


# Clients that registered themselves; the ones an administrator created are never pruned.
SELF_REGISTERED = (Application.RegistrationSource.DCR, Application.RegistrationSource.CIMD)


def clients_list(*, now: datetime | None = None) -> QuerySet[Application]:
    """Every client with ``people_count`` (distinct people holding an approval or a live
    token for it) and ``last_used_at``, in one query."""
    now = now or timezone.now()
    client = OuterRef(OuterRef("pk"))
    holders = Q(pk__in=Approval.objects.filter(application=client).values("user_id"))
    holders |= Q(pk__in=_live_access_tokens(client=client, now=now).values("user_id"))
    holders |= Q(pk__in=_live_refresh_tokens(client=client, now=now).values("user_id"))
    count = Func(F("pk"), function="COUNT", output_field=IntegerField())
    people = User.objects.filter(holders).order_by().annotate(count=count).values("count")
    last_used = ClientProfile.objects.filter(application=OuterRef("pk")).values("last_used_at")
    clients: QuerySet[Application] = Application.objects.annotate(
        people_count=Coalesce(Subquery(people), 0), last_used_at=Subquery(last_used)
    )
    return clients


def clients_unused_list(
    *, older_than: timedelta, now: datetime | None = None
) -> QuerySet[Application]:
    """Self-registered (DCR, CIMD) clients registered and last used more than ``older_than``
    ago that hold no live token or pending code: nobody can be using them.

    A disabled client is kept: deleting it would lose the administrator's decision.
    """
    now = now or timezone.now()
    cutoff = now - older_than
    client = OuterRef("pk")
    unused: QuerySet[Application] = Application.objects.filter(
        Q(profile__isnull=True) | Q(profile__disabled_at__isnull=True),
        Q(profile__last_used_at__isnull=True) | Q(profile__last_used_at__lt=cutoff),
        ~Exists(_live_access_tokens(client=client, now=now)),
        ~Exists(_live_refresh_tokens(client=client, now=now)),
        ~Exists(Grant.objects.filter(application=client, expires__gt=now)),
        registration_source__in=SELF_REGISTERED,
        created__lt=cutoff,
    )
    return unused


def _live_access_tokens(*, client: OuterRef, now: datetime) -> QuerySet[AccessToken]:
    tokens: QuerySet[AccessToken] = AccessToken.objects.filter(application=client, expires__gt=now)
    return tokens


def _live_refresh_tokens(*, client: OuterRef, now: datetime) -> QuerySet[RefreshToken]:
    """Refresh tokens DOT would still accept (its validate_refresh_token): not revoked, bound
    to an access token, and within REFRESH_TOKEN_EXPIRE_SECONDS of that token's expiry."""
    tokens: QuerySet[RefreshToken] = RefreshToken.objects.filter(
        application=client, revoked__isnull=True, access_token__isnull=False
    )
    lifetime = refresh_token_expire_timedelta()
    if lifetime:
        tokens = tokens.filter(access_token__expires__gt=now - lifetime)
    return tokens


def redeemed_codes_spent_list() -> QuerySet[RedeemedCode]:
    """Redeemed codes a replay could no longer revoke anything for (oauth_bridge.validators):
    no refresh token of their family is left, nor the access token they were exchanged for."""
    family = RefreshToken.objects.filter(token_family=OuterRef("token_family"))
    first_access_token = AccessToken.objects.filter(
        token_checksum=OuterRef("access_token_checksum")
    )
    return RedeemedCode.objects.filter(~Exists(family), ~Exists(first_access_token))

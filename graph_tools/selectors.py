"""Reads for the Microsoft token store."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils import timezone

from graph_tools.models import MicrosoftConnection


def connection_get(*, user: AbstractBaseUser) -> MicrosoftConnection | None:
    """The person's Microsoft connection, tokens decrypted (and checked to be theirs) on access."""
    return MicrosoftConnection.objects.filter(user_id=user.pk).first()


def connections_expiring_list(*, within: timedelta) -> QuerySet[MicrosoftConnection]:
    """Connections a refresh can renew whose access token expires within ``within``.

    Not those that wait for the person to sign in again, nor those Entra gave no refresh token.
    Ordered by id, so that a long run can go through them in batches.
    """
    return MicrosoftConnection.objects.filter(
        needs_sign_in=False,
        refresh_token__isnull=False,
        access_token_expires_at__lte=timezone.now() + within,
    ).order_by("pk")

"""Reads for the Microsoft token store."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from graph_tools.models import MicrosoftConnection


def connection_get(*, user: AbstractBaseUser) -> MicrosoftConnection | None:
    """The person's Microsoft connection, tokens decrypted (and checked to be theirs) on access."""
    return MicrosoftConnection.objects.filter(user_id=user.pk).first()

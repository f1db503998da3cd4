"""Reads for the authorization server."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, QuerySet
from oauth2_provider.models import AccessToken, Application, RefreshToken

from graph_tools.models import MicrosoftConnection
from oauth_bridge.models import Approval, RedeemedCode
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


def redeemed_codes_spent_list() -> QuerySet[RedeemedCode]:
    """Redeemed codes a replay could no longer revoke anything for (oauth_bridge.validators):
    no refresh token of their family is left, nor the access token they were exchanged for."""
    family = RefreshToken.objects.filter(token_family=OuterRef("token_family"))
    first_access_token = AccessToken.objects.filter(
        token_checksum=OuterRef("access_token_checksum")
    )
    return RedeemedCode.objects.filter(~Exists(family), ~Exists(first_access_token))

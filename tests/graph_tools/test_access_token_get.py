"""A valid Microsoft access token for the person, refreshed shortly before it expires."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from django.utils import timezone

from graph_tools.errors import ReauthRequired
from graph_tools.models import MicrosoftConnection
from graph_tools.services import access_token_get, connection_refresh
from tests.graph_tools.conftest import PERMISSIONS, connect


def expire_in(user, delta: timedelta) -> None:
    MicrosoftConnection.objects.filter(user=user).update(
        access_token_expires_at=timezone.now() + delta
    )


def test_it_returns_the_stored_token_while_it_is_fresh(alice, entra) -> None:
    expire_in(alice, timedelta(minutes=10))
    assert access_token_get(user=alice) == "alice-access-1"
    assert entra.requests == []


def test_it_refreshes_within_five_minutes_of_expiry(alice, entra) -> None:
    expire_in(alice, timedelta(minutes=4))
    entra.refreshes(access_token="alice-access-2", refresh_token="alice-refresh-2")
    assert access_token_get(user=alice) == "alice-access-2"
    connection = MicrosoftConnection.objects.get(user=alice)
    assert (connection.access_token, connection.refresh_token) == (
        "alice-access-2",
        "alice-refresh-2",
    )
    assert connection.access_token_expires_at > timezone.now() + timedelta(minutes=59)
    assert connection.last_refreshed_at is not None
    assert connection.refresh_claim is None
    assert access_token_get(user=alice) == "alice-access-2"
    assert len(entra.requests) == 1


def test_it_sends_what_entra_expects(alice, entra, settings) -> None:
    expire_in(alice, -timedelta(minutes=1))
    entra.refreshes()
    access_token_get(user=alice)
    sent = entra.requests[0]
    microsoft = settings.DEPLOYMENT.microsoft
    assert sent["grant_type"] == "refresh_token"
    assert sent["refresh_token"] == "alice-refresh-1"
    assert sent["client_id"] == microsoft.client_id
    assert sent["client_secret"] == microsoft.client_secret
    assert sent["scope"].split() == PERMISSIONS  # offline_access is among them already


def test_it_uses_the_configured_tenant_when_locked_to_one(alice, entra, settings) -> None:
    locked = "cccccccc-0000-4000-8000-0000000000cc"
    microsoft = replace(settings.DEPLOYMENT.microsoft, tenant_id=locked)
    settings.DEPLOYMENT = replace(settings.DEPLOYMENT, microsoft=microsoft)
    entra.url = f"https://login.microsoftonline.com/{locked}/oauth2/v2.0/token"
    entra.refreshes()
    expire_in(alice, timedelta(0))
    assert access_token_get(user=alice) == "new-access"


def test_it_keeps_the_refresh_token_when_entra_sends_none(alice, entra) -> None:
    expire_in(alice, timedelta(0))
    entra.refreshes(refresh_token=None)
    access_token_get(user=alice)
    assert MicrosoftConnection.objects.get(user=alice).refresh_token == "alice-refresh-1"


def test_it_gives_each_person_their_own_token(alice, bob, outsider, entra) -> None:
    assert access_token_get(user=alice) == "alice-access-1"
    assert access_token_get(user=bob) == "bob-access-1"
    with pytest.raises(ReauthRequired, match="no Microsoft sign-in"):
        access_token_get(user=outsider)


def test_it_asks_a_person_marked_for_sign_in_to_sign_in(alice, entra) -> None:
    MicrosoftConnection.objects.filter(user=alice).update(
        needs_sign_in=True, needs_sign_in_reason="an administrator asked for a new sign-in"
    )
    with pytest.raises(ReauthRequired, match="administrator asked") as caught:
        access_token_get(user=alice)
    assert "sign in at http://" in str(caught.value)
    assert "Reconnect your assistant" in str(caught.value)
    assert entra.requests == []


def test_it_asks_for_sign_in_when_entra_granted_no_refresh_token(outsider, entra) -> None:
    connect(outsider, refresh_token=None, expires_in=60)
    with pytest.raises(ReauthRequired, match="no refresh token"):
        access_token_get(user=outsider)
    assert MicrosoftConnection.objects.get(user=outsider).needs_sign_in
    assert entra.requests == []


def test_it_refreshes_on_demand(alice, entra) -> None:
    entra.refreshes(access_token="alice-access-2")
    assert connection_refresh(user=alice) == "alice-access-2"
    assert access_token_get(user=alice) == "alice-access-2"
    assert len(entra.requests) == 1


def test_it_refuses_to_refresh_inside_a_transaction(alice, entra) -> None:
    from django.db import transaction

    expire_in(alice, timedelta(0))
    with transaction.atomic(), pytest.raises(RuntimeError, match="durable"):
        access_token_get(user=alice)

"""Refreshing against the live fake of Microsoft (tests/fakes): real wire shapes end to end."""

from __future__ import annotations

import httpx2
import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from graph_tools.errors import MicrosoftTokenError, ReauthRequired
from graph_tools.models import MicrosoftConnection
from graph_tools.services import access_token_get
from tests.graph_tools.conftest import ConnectToFake

PERMISSIONS = ["User.Read", "Mail.Read"]


@pytest.fixture
def alice(connect_to_fake: ConnectToFake) -> User:
    """alice, signed in to the fake with an access token that has just expired."""
    user = connect_to_fake("alice", PERMISSIONS)
    MicrosoftConnection.objects.filter(user=user).update(access_token_expires_at=timezone.now())
    return user


def refreshes(fake) -> list[str | None]:
    return [r.error for r in fake.token_requests if r.grant_type == "refresh_token"]


def test_it_gets_a_token_graph_accepts(alice, microsoft_settings) -> None:
    fake = microsoft_settings
    token = access_token_get(user=alice)
    me = httpx2.get(f"{fake.url}/v1.0/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["id"] == fake.alice.oid
    assert refreshes(fake) == [None]
    assert access_token_get(user=alice) == token
    assert refreshes(fake) == [None]


def test_it_asks_for_sign_in_when_the_refresh_token_expired(alice, microsoft_settings) -> None:
    microsoft_settings.expire_refresh_tokens("alice")
    with pytest.raises(ReauthRequired, match=r"90 days without use \(AADSTS700082\)"):
        access_token_get(user=alice)
    assert MicrosoftConnection.objects.get(user=alice).needs_sign_in


def test_it_asks_for_sign_in_when_the_grant_was_revoked(alice, microsoft_settings) -> None:
    microsoft_settings.revoke_refresh_tokens("alice")
    with pytest.raises(ReauthRequired, match="AADSTS50173"):
        access_token_get(user=alice)


def test_it_waits_out_an_outage(alice, microsoft_settings) -> None:
    fake = microsoft_settings
    fake.fail_next_token(error="temporarily_unavailable", code=70020, status=503)
    with pytest.raises(MicrosoftTokenError, match="temporarily_unavailable"):
        access_token_get(user=alice)
    assert not MicrosoftConnection.objects.get(user=alice).needs_sign_in
    access_token_get(user=alice)
    assert refreshes(fake) == ["temporarily_unavailable", None]


def test_it_keeps_the_rotated_refresh_token(alice, microsoft_settings) -> None:
    """After a refresh only the new refresh token is used: the first one can go."""
    fake = microsoft_settings
    first = MicrosoftConnection.objects.get(user=alice).refresh_token
    access_token_get(user=alice)
    with fake.state.lock:
        fake.state.refresh_tokens[first].status = "revoked"
    MicrosoftConnection.objects.filter(user=alice).update(access_token_expires_at=timezone.now())
    access_token_get(user=alice)
    assert refreshes(fake) == [None, None]

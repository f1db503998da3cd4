"""Refreshing against the live fake of Microsoft (tests/fakes): real wire shapes end to end."""

from __future__ import annotations

import httpx2
import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from graph_tools.errors import MicrosoftTokenError, ReauthRequired
from graph_tools.models import MicrosoftConnection
from graph_tools.services import access_token_get, connection_store

PERMISSIONS = ["User.Read", "Mail.Read"]


def connect_at(fake, user: User) -> None:
    """Sign ``user`` in as the fake's alice, with an expired access token."""
    person = fake.alice
    response = fake.issue_tokens(person, PERMISSIONS)
    connection_store(
        user=user,
        tenant_id=person.tenant.id,
        object_id=person.oid,
        username=person.username,
        display_name=person.given_name,
        token_response=response,
        granted_permissions=["openid", "profile", "offline_access", *PERMISSIONS],
    )
    MicrosoftConnection.objects.filter(user=user).update(access_token_expires_at=timezone.now())


@pytest.fixture
def alice(db, microsoft_settings) -> User:
    user = User.objects.create_user("alice")
    connect_at(microsoft_settings, user)
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

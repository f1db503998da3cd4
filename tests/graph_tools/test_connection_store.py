"""A completed Entra sign-in is kept: created once per person, renewed by later sign-ins."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from graph_tools.errors import ConnectionConflict, MicrosoftTokenError
from graph_tools.models import MicrosoftConnection
from graph_tools.selectors import connection_get
from graph_tools.services import connection_store
from tests.graph_tools.conftest import PERMISSIONS, TENANT, connect


def stored(user) -> MicrosoftConnection:
    return MicrosoftConnection.objects.get(user=user)


def test_it_creates_the_connection(alice) -> None:
    connection = connection_get(user=alice)
    assert connection is not None
    assert connection.tenant_id == TENANT
    assert connection.username == "alice@contoso.example"
    assert connection.display_name == "Alice"
    assert connection.granted_permissions == PERMISSIONS
    assert not connection.needs_sign_in
    expected = timezone.now() + timedelta(seconds=3600)
    assert abs(connection.access_token_expires_at - expected) < timedelta(minutes=1)


def test_it_renews_the_connection_and_clears_needs_sign_in(alice) -> None:
    MicrosoftConnection.objects.filter(user=alice).update(
        needs_sign_in=True, needs_sign_in_reason="expired"
    )
    before = stored(alice)
    connect(alice, access_token="alice-access-2", refresh_token="alice-refresh-2")
    after = stored(alice)
    assert after.pk == before.pk
    assert (after.access_token, after.refresh_token) == ("alice-access-2", "alice-refresh-2")
    assert not after.needs_sign_in
    assert after.needs_sign_in_reason == ""
    assert after.token_version == before.token_version + 1


def test_it_keeps_the_refresh_token_when_none_is_sent(alice) -> None:
    response = {"access_token": "alice-access-2", "expires_in": 3600}
    connection = connection_store(
        user=alice,
        tenant_id=TENANT,
        object_id=stored(alice).object_id,
        username="",
        display_name="",
        token_response=response,
        granted_permissions=[],
    )
    assert connection.access_token == "alice-access-2"
    assert connection.refresh_token == "alice-refresh-1"


def test_it_refuses_a_person_already_linked_to_another_account(alice, outsider) -> None:
    with pytest.raises(ConnectionConflict):
        connection_store(
            user=outsider,
            tenant_id=TENANT,
            object_id=stored(alice).object_id,
            username="",
            display_name="",
            granted_permissions=[],
            token_response={"access_token": "x", "expires_in": 3600},
        )
    assert connection_get(user=outsider) is None
    assert stored(alice).access_token == "alice-access-1"


def test_it_refuses_to_switch_an_account_to_another_person(alice) -> None:
    with pytest.raises(ConnectionConflict):
        connection_store(
            user=alice,
            tenant_id=TENANT,
            object_id="ffffffff-0000-4000-8000-00000000ffff",
            username="",
            display_name="",
            granted_permissions=[],
            token_response={"access_token": "x", "expires_in": 3600},
        )
    assert stored(alice).access_token == "alice-access-1"


@pytest.mark.parametrize(
    "response",
    [
        {"expires_in": 3600},
        {"access_token": "", "expires_in": 3600},
        {"access_token": "a" * 40_000, "expires_in": 3600},
        {"access_token": "a", "refresh_token": 7, "expires_in": 3600},
        {"access_token": "a", "expires_in": "soon"},
        {"access_token": "a", "expires_in": -5},
        {"access_token": "a", "expires_in": True},
    ],
)
def test_it_rejects_unusable_token_responses(outsider, response) -> None:
    with pytest.raises(MicrosoftTokenError, match="invalid_response"):
        connection_store(
            user=outsider,
            tenant_id=TENANT,
            object_id="o",
            username="",
            display_name="",
            token_response=response,
            granted_permissions=[],
        )
    assert connection_get(user=outsider) is None


def test_it_accepts_the_v1_string_expiry(outsider) -> None:
    connection = connection_store(
        user=outsider,
        tenant_id=TENANT,
        object_id="o",
        username="",
        display_name="",
        token_response={"access_token": "a", "expires_in": "3599"},
        granted_permissions=[],
    )
    assert connection.access_token_expires_at > timezone.now() + timedelta(minutes=59)

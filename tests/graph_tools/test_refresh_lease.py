"""The refresh lease: wait for the holder, share its outcome, take over if it died.

Another process's refresh is played by editing the row while this caller sleeps between
polls; test_refresh_race.py runs the real thing with threads and processes.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from graph_tools import services
from graph_tools.errors import MicrosoftTokenError
from graph_tools.models import MicrosoftConnection
from graph_tools.services import access_token_get
from tests.graph_tools.conftest import connect


def held(user, *, until: timedelta) -> None:
    """Someone else holds the refresh lease of the (expired) connection."""
    MicrosoftConnection.objects.filter(user=user).update(
        access_token_expires_at=timezone.now(),
        refresh_claim=uuid.uuid4(),
        refresh_claimed_until=timezone.now() + until,
    )


def meanwhile(monkeypatch, change) -> None:
    """Run ``change`` (the other refresher's doing) during this caller's first wait."""
    changes = [change]
    monkeypatch.setattr(time, "sleep", lambda seconds: changes and changes.pop()())


def test_it_takes_over_the_lease_of_a_refresher_that_died(alice, entra) -> None:
    held(alice, until=-timedelta(seconds=1))
    entra.refreshes(access_token="alice-access-2")
    assert access_token_get(user=alice) == "alice-access-2"
    assert MicrosoftConnection.objects.get(user=alice).refresh_claim is None


def test_it_shares_the_refresh_in_flight(alice, entra, monkeypatch) -> None:
    held(alice, until=timedelta(seconds=30))

    def other_refresher_finishes() -> None:
        MicrosoftConnection.objects.filter(user=alice).update(
            **MicrosoftConnection.sealed_tokens(
                user_id=alice.pk, access_token="alice-access-2", refresh_token="alice-refresh-2"
            ),
            token_version=F("token_version") + 1,
            refresh_claim=None,
            refresh_claimed_until=None,
        )

    meanwhile(monkeypatch, other_refresher_finishes)
    assert access_token_get(user=alice) == "alice-access-2"
    assert entra.requests == []


def test_it_fails_with_the_refresh_in_flight(alice, entra, monkeypatch) -> None:
    held(alice, until=timedelta(seconds=30))

    def other_refresher_fails() -> None:
        MicrosoftConnection.objects.filter(user=alice).update(
            refresh_claim=None, refresh_claimed_until=None
        )

    meanwhile(monkeypatch, other_refresher_fails)
    with pytest.raises(MicrosoftTokenError, match="temporarily_unavailable"):
        access_token_get(user=alice)
    assert entra.requests == []


def test_it_stops_waiting_after_a_bound(alice, entra, monkeypatch) -> None:
    held(alice, until=timedelta(hours=1))
    monkeypatch.setattr(services, "WAIT_SECONDS", 0.2)
    with pytest.raises(MicrosoftTokenError, match="timed out waiting"):
        access_token_get(user=alice)
    assert entra.requests == []


def test_it_lets_a_sign_in_during_a_refresh_win(alice, entra) -> None:
    MicrosoftConnection.objects.filter(user=alice).update(access_token_expires_at=timezone.now())

    def entra_answers_while_alice_signs_in(request):
        connect(alice, access_token="alice-signed-in", refresh_token="alice-refresh-9")
        return 200, {}, json.dumps({"access_token": "alice-refreshed", "expires_in": 3600})

    entra.mock.add_callback("POST", entra.url, callback=entra_answers_while_alice_signs_in)
    assert access_token_get(user=alice) == "alice-signed-in"
    connection = MicrosoftConnection.objects.get(user=alice)
    assert (connection.access_token, connection.refresh_token) == (
        "alice-signed-in",
        "alice-refresh-9",
    )


def test_it_keeps_one_lease_per_connection(alice, bob, entra) -> None:
    """Leases are per connection: Bob's refresh in flight does not hold Alice up."""
    held(bob, until=timedelta(seconds=30))
    MicrosoftConnection.objects.filter(user=alice).update(access_token_expires_at=timezone.now())
    entra.refreshes(access_token="alice-access-2")
    assert access_token_get(user=alice) == "alice-access-2"
    assert entra.requests[0]["refresh_token"] == "alice-refresh-1"

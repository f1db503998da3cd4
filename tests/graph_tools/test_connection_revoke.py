"""Revoking forgets a person's Microsoft tokens, and only theirs."""

from __future__ import annotations

import pytest

from graph_tools.errors import ReauthRequired
from graph_tools.models import MicrosoftConnection
from graph_tools.services import access_token_get, connection_revoke
from tests.graph_tools.conftest import connect


def test_it_forgets_the_tokens(alice, bob) -> None:
    assert connection_revoke(user=alice) is True
    assert not MicrosoftConnection.objects.filter(user=alice).exists()
    with pytest.raises(ReauthRequired, match="no Microsoft sign-in"):
        access_token_get(user=alice)
    assert access_token_get(user=bob) == "bob-access-1"


def test_it_does_nothing_for_someone_never_connected(outsider, bob) -> None:
    assert connection_revoke(user=outsider) is False
    assert MicrosoftConnection.objects.count() == 1


def test_it_lets_the_person_sign_in_again(alice) -> None:
    connection_revoke(user=alice)
    connect(alice, access_token="alice-access-2")
    assert access_token_get(user=alice) == "alice-access-2"

"""Tokens are stored encrypted, bound to their row, and never come back wrong or silently."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet, MultiFernet
from django.core.exceptions import FieldError
from django.db.models import TextField, Value

from graph_tools.fields import Sealed, UnreadableSecret
from graph_tools.models import MicrosoftConnection
from graph_tools.selectors import connection_get
from graph_tools.services import access_token_get
from tests.graph_tools.conftest import raw_tokens

OLD_KEY = Fernet.generate_key()
NEW_KEY = Fernet.generate_key()


def test_it_round_trips_tokens(alice) -> None:
    connection = connection_get(user=alice)
    assert connection is not None
    assert connection.access_token == "alice-access-1"
    assert connection.refresh_token == "alice-refresh-1"


def test_it_stores_only_ciphertext(alice, settings) -> None:
    access, refresh = raw_tokens(alice)
    assert refresh is not None
    assert "alice" not in access
    assert "alice" not in refresh
    keys = MultiFernet([Fernet(k) for k in settings.DEPLOYMENT.token_encryption_keys])
    assert b"alice-access-1" in keys.decrypt(access.encode())


def test_it_keeps_none_and_empty_apart(alice) -> None:
    connection = MicrosoftConnection.objects.get(user=alice)
    connection.refresh_token = None
    connection.save()
    assert MicrosoftConnection.objects.get(user=alice).refresh_token is None
    assert MicrosoftConnection.objects.filter(refresh_token__isnull=True).count() == 1
    connection.refresh_token = ""
    connection.save()
    assert MicrosoftConnection.objects.get(user=alice).refresh_token == ""
    assert raw_tokens(alice)[1] not in (None, "")


def test_it_raises_with_a_wrong_key(alice, use_keys) -> None:
    use_keys(Fernet.generate_key())
    with pytest.raises(UnreadableSecret, match="no TOKEN_ENCRYPTION_KEYS key") as caught:
        MicrosoftConnection.objects.get(user=alice)
    assert raw_tokens(alice)[0] not in str(caught.value)


def test_it_decrypts_with_any_key_and_encrypts_with_the_first(db, use_keys) -> None:
    from django.contrib.auth.models import User

    from tests.graph_tools.conftest import connect

    use_keys(OLD_KEY)
    alice = User.objects.create_user("alice")
    connect(alice)
    use_keys(NEW_KEY, OLD_KEY)
    connection = MicrosoftConnection.objects.get(user=alice)
    assert connection.access_token == "alice-access-1"
    connection.save()
    Fernet(NEW_KEY).decrypt(raw_tokens(alice)[0].encode())


@pytest.mark.parametrize("lookup", ["access_token", "access_token__contains", "refresh_token__in"])
def test_it_refuses_lookups_on_ciphertext(alice, lookup) -> None:
    with pytest.raises(FieldError):
        MicrosoftConnection.objects.filter(**{lookup: ["alice-access-1"]}).count()


def test_it_refuses_values_without_an_owner(alice) -> None:
    with pytest.raises(TypeError, match="no owner"):
        MicrosoftConnection.objects.update(access_token="sneaked-in")


def test_it_detects_a_ciphertext_copied_from_another_row(alice, bob) -> None:
    bobs_access, _bobs_refresh = raw_tokens(bob)
    MicrosoftConnection.objects.filter(user=alice).update(
        access_token=Value(bobs_access, output_field=TextField())
    )
    connection = MicrosoftConnection.objects.get(user=alice)
    with pytest.raises(UnreadableSecret, match="another owner"):
        _ = connection.access_token
    with pytest.raises(UnreadableSecret):
        access_token_get(user=alice)
    assert access_token_get(user=bob) == "bob-access-1"


def test_it_detects_a_ciphertext_copied_from_another_column(alice) -> None:
    _access, refresh = raw_tokens(alice)
    MicrosoftConnection.objects.filter(user=alice).update(
        access_token=Value(refresh, output_field=TextField())
    )
    with pytest.raises(UnreadableSecret, match="not a value of this column"):
        MicrosoftConnection.objects.get(user=alice)


def test_it_refuses_to_move_tokens_to_another_person(alice, bob) -> None:
    connection = MicrosoftConnection.objects.get(user=alice)
    connection.user = bob
    with pytest.raises(UnreadableSecret):
        connection.save()


def test_it_seals_explicit_updates_to_the_given_owner(alice) -> None:
    MicrosoftConnection.objects.filter(user=alice).update(
        access_token=Sealed(owner=str(alice.pk), value="alice-access-2")
    )
    assert access_token_get(user=alice) == "alice-access-2"


def test_it_never_shows_tokens(alice) -> None:
    connection = MicrosoftConnection.objects.get(user=alice)
    loaded = MicrosoftConnection.objects.values("access_token").get()
    shown = " ".join(
        [
            str(connection),
            repr(connection),
            repr(loaded),
            repr(Sealed(owner="1", value="alice-access-1")),
        ]
    )
    assert "alice-access" not in shown
    assert "alice-refresh" not in shown


def test_it_is_never_serialised(alice) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    with pytest.raises(CommandError, match="never serialised"):
        call_command("dumpdata", "graph_tools", stdout=out)
    assert "alice-access" not in out.getvalue()

"""rotate_token_keys puts every stored token under the first key, however often it runs."""

from __future__ import annotations

from io import StringIO

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from graph_tools.fields import ciphertext_rotate as real_rotate
from graph_tools.management.commands import rotate_token_keys
from graph_tools.models import MicrosoftConnection
from graph_tools.services import access_token_get
from tests.graph_tools.conftest import connect, raw_tokens

OLD_KEY = Fernet.generate_key()
NEW_KEY = Fernet.generate_key()


@pytest.fixture
def people(db, use_keys) -> list[User]:
    """Five connected people (two of them without a refresh token), under OLD_KEY."""
    use_keys(OLD_KEY)
    people = [User.objects.create_user(f"person{n}") for n in range(5)]
    for n, person in enumerate(people):
        connect(person, refresh_token=None if n % 3 == 1 else f"person{n}-refresh-1")
    use_keys(NEW_KEY, OLD_KEY)
    return people


def rotate(*args: str) -> str:
    out = StringIO()
    call_command("rotate_token_keys", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def under(key: bytes, person: User) -> bool:
    try:
        for ciphertext in filter(None, raw_tokens(person)):
            Fernet(key).decrypt(ciphertext.encode())
    except InvalidToken:
        return False
    return True


def test_it_re_encrypts_every_token_with_the_first_key(people, use_keys) -> None:
    output = rotate()
    assert "5/5 rows checked (5 re-encrypted)" in output
    assert all(under(NEW_KEY, person) for person in people)
    use_keys(NEW_KEY)  # the old key is gone
    for person in people:
        assert access_token_get(user=person) == f"{person.username}-access-1"


def test_it_changes_nothing_when_run_again(people) -> None:
    rotate()
    before = [raw_tokens(person) for person in people]
    assert "5/5 rows checked (5 current)" in rotate()
    assert [raw_tokens(person) for person in people] == before


def test_it_writes_nothing_in_a_dry_run(people) -> None:
    before = [raw_tokens(person) for person in people]
    assert "dry run: 5/5 rows checked (5 would re-encrypt)" in rotate("--dry-run")
    assert [raw_tokens(person) for person in people] == before


def test_it_reports_progress_per_batch(people) -> None:
    lines = rotate("--batch-size", "2").splitlines()
    assert lines[:3] == [
        "2/5 rows checked (2 re-encrypted)",
        "4/5 rows checked (4 re-encrypted)",
        "5/5 rows checked (5 re-encrypted)",
    ]


def test_it_finishes_after_being_killed_halfway(people, use_keys, monkeypatch) -> None:
    class Killed(Exception):
        pass

    calls: list[str] = []

    def dying_rotate(ciphertext: str) -> str | None:
        calls.append(ciphertext)
        if len(calls) == 6:  # in the second batch of two rows
            raise Killed
        return real_rotate(ciphertext)

    monkeypatch.setattr(rotate_token_keys, "ciphertext_rotate", dying_rotate)
    with pytest.raises(Killed):
        rotate("--batch-size", "2")
    assert [under(NEW_KEY, person) for person in people] == [True, True, False, False, False]
    monkeypatch.setattr(rotate_token_keys, "ciphertext_rotate", real_rotate)
    assert "5/5 rows checked (2 current, 3 re-encrypted)" in rotate("--batch-size", "2")
    use_keys(NEW_KEY)
    for person in people:
        assert access_token_get(user=person) == f"{person.username}-access-1"


def test_it_names_rows_no_key_decrypts_and_fails(people, use_keys) -> None:
    stranger = User.objects.create_user("stranger")
    use_keys(Fernet.generate_key())
    connect(stranger)
    use_keys(NEW_KEY, OLD_KEY)
    pk = MicrosoftConnection.objects.values_list("pk", flat=True).get(user=stranger)
    errors = StringIO()
    with pytest.raises(CommandError, match=rf"1 row\(s\) .* \(ids {pk}\)") as caught:
        call_command("rotate_token_keys", stdout=StringIO(), stderr=errors)
    assert f"row {pk}: access_token is not readable" in errors.getvalue()
    assert all(under(NEW_KEY, person) for person in people)
    for ciphertext in filter(None, raw_tokens(stranger)):
        assert ciphertext not in str(caught.value) + errors.getvalue()


def test_it_never_overwrites_tokens_stored_meanwhile(people, monkeypatch) -> None:
    """A refresh that lands between reading a row and rewriting it wins."""
    first = people[0]
    calls: list[str] = []

    def rotate_while_refreshing(ciphertext: str) -> str | None:
        calls.append(ciphertext)
        if len(calls) == 1:
            connect(first, access_token="person0-access-2")  # bumps the version
        return real_rotate(ciphertext)

    monkeypatch.setattr(rotate_token_keys, "ciphertext_rotate", rotate_while_refreshing)
    # Read again after the refresh, the first row turned out to be under the new key already.
    assert "5/5 rows checked (1 current, 4 re-encrypted)" in rotate()
    assert access_token_get(user=first) == "person0-access-2"
    assert under(NEW_KEY, first)


def test_it_refuses_a_batch_size_below_one(db) -> None:
    with pytest.raises(CommandError, match="at least 1"):
        rotate("--batch-size", "0")

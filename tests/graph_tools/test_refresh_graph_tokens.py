"""refresh_graph_tokens renews the connections about to expire, once each, at the fake Entra."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from io import StringIO

import httpx2
import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.utils import timezone

from graph_tools.models import MicrosoftConnection
from graph_tools.services import RefreshOutcome, connection_refresh_expiring
from tests.graph_tools.conftest import ConnectToFake
from tests.processes import free_port

PERMISSIONS = ["User.Read"]


def expires_in(user: User, minutes: int) -> None:
    MicrosoftConnection.objects.filter(user=user).update(
        access_token_expires_at=timezone.now() + timedelta(minutes=minutes)
    )


@pytest.fixture
def cast(connect_to_fake: ConnectToFake) -> dict[str, User]:
    """alice and bob expire in ten minutes, the outsider in two hours."""
    people = {name: connect_to_fake(name, PERMISSIONS) for name in ("alice", "bob", "outsider")}
    expires_in(people["alice"], 10)
    expires_in(people["bob"], 10)
    expires_in(people["outsider"], 120)
    return people


def refresh(*args: str) -> str:
    out = StringIO()
    call_command("refresh_graph_tokens", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def refreshed_people(fake) -> list[str]:
    return sorted(
        str(r.person)
        for r in fake.token_requests
        if r.grant_type == "refresh_token" and not r.error
    )


def test_it_refreshes_the_connections_about_to_expire(cast, microsoft_settings) -> None:
    before = {name: MicrosoftConnection.objects.get(user=user) for name, user in cast.items()}
    output = refresh()
    assert output.splitlines()[-1] == "2 refreshed, 0 skipped, 0 need to sign in again, 0 failed"
    assert refreshed_people(microsoft_settings) == ["alice", "bob"]
    for name in ("alice", "bob"):
        after = MicrosoftConnection.objects.get(user=cast[name])
        assert after.access_token != before[name].access_token
        assert after.access_token_expires_at > timezone.now() + timedelta(minutes=30)
        me = httpx2.get(
            f"{microsoft_settings.url}/v1.0/me",
            headers={"Authorization": f"Bearer {after.access_token}"},
        )
        assert me.status_code == 200
    outsider = MicrosoftConnection.objects.get(user=cast["outsider"])
    assert outsider.access_token == before["outsider"].access_token


def test_it_changes_nothing_when_run_again(cast, microsoft_settings) -> None:
    refresh()
    assert refresh().splitlines()[-1].startswith("0 refreshed")
    assert len(refreshed_people(microsoft_settings)) == 2


def test_it_looks_as_far_ahead_as_told(cast, microsoft_settings) -> None:
    assert refresh("--within", "180").splitlines()[-1].startswith("3 refreshed")
    assert refreshed_people(microsoft_settings) == ["alice", "bob", "outsider"]


def test_it_only_counts_in_a_dry_run(cast, microsoft_settings) -> None:
    assert refresh("--dry-run") == "dry run: 2 connection(s) would be refreshed\n"
    assert microsoft_settings.token_requests == []


def test_it_reports_progress_per_batch(cast, microsoft_settings) -> None:
    lines = refresh("--within", "180", "--batch-size", "2").splitlines()
    assert lines == [
        "2 checked",
        "3 checked",
        "3 refreshed, 0 skipped, 0 need to sign in again, 0 failed",
    ]


def test_it_reports_a_person_who_must_sign_in_again(cast, microsoft_settings) -> None:
    microsoft_settings.revoke_refresh_tokens("alice")
    output = refresh()
    assert output.splitlines()[-1] == "1 refreshed, 0 skipped, 1 need to sign in again, 0 failed"
    assert MicrosoftConnection.objects.get(user=cast["alice"]).needs_sign_in
    assert refresh("--dry-run") == "dry run: 0 connection(s) would be refreshed\n"


def test_it_fails_when_microsoft_fails_after_trying_everyone(cast, microsoft_settings) -> None:
    microsoft_settings.fail_next_token(
        error="temporarily_unavailable", code=90033, status=503, grant_type="refresh_token"
    )
    out = StringIO()
    with pytest.raises(CommandError, match=r"1 refresh\(es\) failed"):
        call_command("refresh_graph_tokens", stdout=out, stderr=StringIO())
    assert out.getvalue().splitlines()[-1] == (
        "1 refreshed, 0 skipped, 0 need to sign in again, 1 failed"
    )
    assert not MicrosoftConnection.objects.filter(needs_sign_in=True).exists()
    assert refresh().splitlines()[-1].startswith("1 refreshed")  # the next run catches up


def test_it_fails_when_microsoft_is_unreachable(cast, settings) -> None:
    microsoft = replace(settings.DEPLOYMENT.microsoft, login_url=f"http://127.0.0.1:{free_port()}")
    settings.DEPLOYMENT = replace(settings.DEPLOYMENT, microsoft=microsoft)
    with pytest.raises(CommandError, match=r"2 refresh\(es\) failed"):
        refresh()


def test_it_never_prints_a_token(cast, microsoft_settings) -> None:
    output = refresh("--within", "180")
    for connection in MicrosoftConnection.objects.all():
        assert connection.access_token not in output
        assert str(connection.refresh_token) not in output


def test_it_skips_a_connection_renewed_since_it_was_listed(cast, microsoft_settings) -> None:
    alice = MicrosoftConnection.objects.get(user=cast["alice"])
    within = timedelta(minutes=30)
    assert connection_refresh_expiring(connection_id=alice.pk, within=within) == "refreshed"
    assert connection_refresh_expiring(connection_id=alice.pk, within=within) == "skipped"
    assert refreshed_people(microsoft_settings) == ["alice"]


def test_it_skips_a_connection_another_process_is_refreshing(cast, microsoft_settings) -> None:
    alice = MicrosoftConnection.objects.get(user=cast["alice"])
    MicrosoftConnection.objects.filter(pk=alice.pk).update(
        refresh_claim="5b0c0d4e-0000-4000-8000-000000000001",
        refresh_claimed_until=timezone.now() + timedelta(seconds=30),
    )
    outcome = connection_refresh_expiring(connection_id=alice.pk, within=timedelta(minutes=30))
    assert outcome == RefreshOutcome.SKIPPED
    assert microsoft_settings.token_requests == []


@pytest.mark.parametrize(("option", "value"), [("--within", "0"), ("--batch-size", "0")])
def test_it_refuses_a_value_below_one(db, option: str, value: str) -> None:
    with pytest.raises(CommandError, match="at least 1"):
        refresh(option, value)

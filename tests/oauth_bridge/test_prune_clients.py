"""`prune_clients` deletes self-registered clients nobody uses (no live token, not used
lately) and nothing else; it is idempotent, safe beside itself, and fails loudly."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, Grant, RefreshToken

from oauth_bridge.models import ClientProfile
from oauth_bridge.services import _client_prune
from tests.oauth_bridge.conftest import make_client
from tests.processes import REPO, database_url, server_env

pytestmark = pytest.mark.django_db
DCR, CIMD, MANUAL = "dcr", "cimd", "manual"


def old_client(name: str, *, source: str = DCR, days: int = 40) -> Application:
    client = make_client(name=name, source=source)
    Application.objects.filter(pk=client.pk).update(created=timezone.now() - timedelta(days=days))
    return client


def give_token(client: Application, person, *, expires_in: timedelta) -> AccessToken:
    return AccessToken.objects.create(
        user=person,
        application=client,
        token=f"tok-{client.pk}-{expires_in.total_seconds()}",
        expires=timezone.now() + expires_in,
        scope="mail.read",
    )


def prune(*args: str) -> str:
    out = StringIO()
    call_command("prune_clients", *args, stdout=out)
    return out.getvalue()


def remaining() -> set[str]:
    return set(Application.objects.values_list("name", flat=True))


@pytest.fixture
def clients(alice) -> None:
    old_client("Old DCR")
    old_client("Old CIMD", source=CIMD)
    old_client("Pre-registered", source=MANUAL, days=400)
    old_client("Young DCR", days=4)
    give_token(old_client("With live token"), alice, expires_in=timedelta(minutes=30))
    give_token(old_client("With expired token"), alice, expires_in=-timedelta(days=2))
    live = give_token(old_client("With live refresh"), alice, expires_in=-timedelta(hours=2))
    RefreshToken.objects.create(
        user=alice, application=live.application, token="r1", access_token=live
    )
    pending = old_client("With pending code")
    Grant.objects.create(
        user=alice,
        application=pending,
        code="c1",
        expires=timezone.now() + timedelta(seconds=60),
        redirect_uri="http://127.0.0.1:1/cb",
        scope="mail.read",
    )
    used = old_client("Used lately")
    ClientProfile.objects.create(application=used, last_used_at=timezone.now() - timedelta(days=2))
    disabled = old_client("Disabled")
    ClientProfile.objects.create(application=disabled, disabled_at=timezone.now())


def test_it_deletes_only_unused_self_registered_clients(clients) -> None:
    output = prune()
    assert remaining() == {
        "Pre-registered",
        "Young DCR",
        "With live token",
        "With live refresh",
        "With pending code",
        "Used lately",
        "Disabled",
    }
    assert "deleted client 'Old DCR'" in output
    assert "deleted client 'Old CIMD'" in output
    assert "deleted client 'With expired token'" in output
    assert "3 unused client(s) deleted." in output


def test_it_takes_the_age_from_older_than(clients) -> None:
    prune("--older-than", "3")
    assert "Young DCR" not in remaining()
    assert "Used lately" in remaining()  # used two days ago


def test_it_changes_nothing_in_a_dry_run(clients) -> None:
    before = remaining()
    output = prune("--dry-run")
    assert remaining() == before
    assert "would delete client 'Old DCR'" in output
    assert "3 unused client(s) would be deleted." in output


def test_it_is_idempotent(clients) -> None:
    prune()
    after_first = remaining()
    assert "0 unused client(s) deleted." in prune()
    assert remaining() == after_first


def test_it_keeps_a_client_that_got_a_token_after_it_was_listed(alice) -> None:
    client = old_client("Late")
    give_token(client, alice, expires_in=timedelta(hours=1))
    assert not _client_prune(pk=client.pk, older_than=timedelta(days=30))
    assert remaining() == {"Late"}


def test_it_refuses_a_negative_age() -> None:
    with pytest.raises(CommandError, match="0 or more"):
        call_command("prune_clients", "--older-than", "-1")


SEED = """
from datetime import timedelta
from django.utils import timezone
from oauth2_provider.models import Application
for i in range(30):
    Application.objects.create(name=f"dcr {i}", client_type="public",
        authorization_grant_type="authorization-code", redirect_uris="http://127.0.0.1:1/cb",
        registration_source="dcr")
Application.objects.create(name="kept", client_type="public",
    authorization_grant_type="authorization-code", redirect_uris="http://127.0.0.1:1/cb")
Application.objects.update(created=timezone.now() - timedelta(days=90))
"""


LEFT = (
    "from oauth2_provider.models import Application as A; print([a.name for a in A.objects.all()])"
)


def test_it_runs_safely_beside_itself(tmp_path: Path) -> None:
    """Two runs at once, as separate processes on one database: every client is deleted
    exactly once, neither run fails, the pre-registered client stays."""
    env = server_env({"DATABASE_URL": database_url(tmp_path / "db.sqlite3")})
    manage = [sys.executable, str(REPO / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True, timeout=120)
    subprocess.run([*manage, "shell", "-c", SEED], env=env, check=True, timeout=60)
    runs = [
        subprocess.Popen(
            [*manage, "prune_clients"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    deleted = [
        line
        for stdout, _ in outputs
        for line in stdout.decode().splitlines()
        if "deleted client" in line
    ]
    assert len(deleted) == len(set(deleted)) == 30
    left = subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            LEFT,
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert left.stdout.splitlines()[-1] == "['kept']"

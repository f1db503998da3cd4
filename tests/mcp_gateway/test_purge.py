"""purge deletes what has run its course and keeps everything still in use."""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, Grant, RefreshToken, set_token_value

from mcp_gateway.models import ToolCall
from oauth_bridge.models import RedeemedCode
from oauth_bridge.validators import checksum

HOUR = timedelta(hours=1)


@pytest.fixture
def alice(db) -> User:
    return User.objects.create_user("alice")


@pytest.fixture
def client_app(db) -> Application:
    return Application.objects.create(
        name="Claude",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="http://127.0.0.1:33418/callback",
    )


def access_token(person: User, client: Application, *, expires_in: timedelta) -> AccessToken:
    token = AccessToken(
        user=person, application=client, scope="mail.read", expires=timezone.now() + expires_in
    )
    set_token_value(token, secrets.token_urlsafe(32))
    token.save()
    return token


def refresh_token(person: User, client: Application, access: AccessToken) -> RefreshToken:
    token = RefreshToken(
        user=person, application=client, access_token=access, token_family=uuid.uuid4()
    )
    set_token_value(token, secrets.token_urlsafe(32))
    token.save()
    return token


def grant(person: User, client: Application, *, expires_in: timedelta) -> Grant:
    return Grant.objects.create(
        user=person,
        application=client,
        code=secrets.token_urlsafe(16),
        expires=timezone.now() + expires_in,
        redirect_uri="http://127.0.0.1:33418/callback",
    )


def redeemed(*, access: AccessToken | None = None, family: uuid.UUID | None = None) -> int:
    row = RedeemedCode.objects.create(
        code_checksum=checksum(secrets.token_urlsafe(16)),
        access_token_checksum=access.token_checksum if access else checksum("gone"),
        token_family=family,
    )
    return row.pk


def session(*, expires_in: timedelta) -> str:
    store = SessionStore()
    store["oauth_bridge.sign_in"] = {"state": "opaque"}
    store.set_expiry(timezone.now() + expires_in)
    store.create()
    return str(store.session_key)


def tool_calls(person: User, *, days_ago: int, count: int = 1) -> list[int]:
    ids = []
    for _ in range(count):
        call = ToolCall.objects.create(person=person, tool="getEmails", outcome="ok")
        ToolCall.objects.filter(pk=call.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )
        ids.append(call.pk)
    return ids


def purge(*args: str) -> str:
    out = StringIO()
    call_command("purge", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_deletes_expired_oauth_tokens_and_grants(alice, client_app) -> None:
    access_token(alice, client_app, expires_in=-HOUR)
    live = access_token(alice, client_app, expires_in=HOUR)
    grant(alice, client_app, expires_in=-HOUR)
    new_grant = grant(alice, client_app, expires_in=HOUR)
    output = purge()
    assert "OAuth: 1 Expired access tokens deleted" in output
    assert "OAuth: 1 Expired grant tokens deleted" in output
    assert list(AccessToken.objects.all()) == [live]
    assert list(Grant.objects.all()) == [new_grant]


def test_it_keeps_an_expired_access_token_whose_refresh_token_lives(alice, client_app) -> None:
    expired = access_token(alice, client_app, expires_in=-HOUR)
    refresh_token(alice, client_app, expired)
    purge()
    assert AccessToken.objects.filter(pk=expired.pk).exists()


def test_it_deletes_finished_sessions(db) -> None:
    session(expires_in=-HOUR)
    open_ = session(expires_in=HOUR)
    assert "expired sessions: 1 deleted" in purge()
    assert list(Session.objects.values_list("session_key", flat=True)) == [open_]


def test_it_deletes_code_records_once_their_tokens_are_gone(alice, client_app) -> None:
    access = access_token(alice, client_app, expires_in=HOUR)
    family_member = refresh_token(
        alice, client_app, access_token(alice, client_app, expires_in=HOUR)
    )
    redeemed()
    by_access = redeemed(access=access)
    by_family = redeemed(family=family_member.token_family)
    assert "spent authorization code records: 1 deleted" in purge()
    assert set(RedeemedCode.objects.values_list("pk", flat=True)) == {by_access, by_family}


def test_it_deletes_audit_rows_past_the_retention(alice) -> None:
    tool_calls(alice, days_ago=181)
    kept = tool_calls(alice, days_ago=179) + tool_calls(alice, days_ago=0)
    assert "tool calls older than 180 days: 1 deleted" in purge()
    assert sorted(ToolCall.objects.values_list("pk", flat=True)) == kept
    assert "tool calls older than 30 days: 1 deleted" in purge("--audit-days", "30")
    assert list(ToolCall.objects.values_list("pk", flat=True)) == kept[1:]


def test_it_reports_progress_per_batch(alice) -> None:
    tool_calls(alice, days_ago=200, count=5)
    lines = [line for line in purge("--batch-size", "2").splitlines() if "tool calls" in line]
    assert lines == [
        "tool calls older than 180 days: 2 deleted",
        "tool calls older than 180 days: 4 deleted",
        "tool calls older than 180 days: 5 deleted",
    ]


def test_it_only_counts_in_a_dry_run(alice, client_app) -> None:
    access_token(alice, client_app, expires_in=-HOUR)
    grant(alice, client_app, expires_in=-HOUR)
    session(expires_in=-HOUR)
    redeemed()
    tool_calls(alice, days_ago=365, count=3)
    output = purge("--dry-run")
    assert "dry run: OAuth: 1 Expired access tokens deleted" in output
    assert "dry run: OAuth: 1 Expired grant tokens deleted" in output
    assert "dry run: expired sessions: 1 would be deleted" in output
    assert "dry run: spent authorization code records: 1 would be deleted" in output
    assert "dry run: tool calls older than 180 days: 3 would be deleted" in output
    assert output.endswith("dry run: nothing deleted\n")
    counts = [AccessToken, Grant, Session, RedeemedCode, ToolCall]
    assert [model.objects.count() for model in counts] == [1, 1, 1, 1, 3]


def test_it_changes_nothing_when_run_again(alice, client_app) -> None:
    access_token(alice, client_app, expires_in=-HOUR)
    tool_calls(alice, days_ago=365)
    purge()
    output = purge()
    assert "OAuth: 0 Expired access tokens deleted" in output
    assert "tool calls older than 180 days: 0 deleted" in output


def test_it_refuses_an_audit_retention_below_one_day(db) -> None:
    with pytest.raises(CommandError, match="--audit-days must be at least 1"):
        purge("--audit-days", "0")

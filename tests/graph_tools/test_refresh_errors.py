"""Entra refusing the refresh token asks the person to sign in; a hiccup at Entra does not."""

from __future__ import annotations

import logging

import pytest
import requests
from django.utils import timezone

from graph_tools.errors import MicrosoftTokenError, ReauthRequired
from graph_tools.models import MicrosoftConnection
from graph_tools.services import access_token_get


@pytest.fixture
def expired(alice):
    MicrosoftConnection.objects.filter(user=alice).update(access_token_expires_at=timezone.now())
    return alice


@pytest.mark.parametrize(
    ("error", "code", "reason"),
    [
        ("invalid_grant", 700082, "refresh token expired after 90 days without use"),
        ("invalid_grant", 70000, "no longer accepts the stored sign-in"),
        ("invalid_grant", 50173, "revoked, for example after a password change"),
        ("invalid_grant", 65001, "consent for this app was revoked"),
        ("interaction_required", 50076, "multi-factor authentication"),
        ("invalid_grant", 9999999, "Microsoft answered invalid_grant"),
    ],
)
def test_it_asks_for_sign_in_when_entra_refuses_the_refresh_token(
    expired, entra, error, code, reason
) -> None:
    entra.refuses(error, code)
    with pytest.raises(ReauthRequired, match=reason) as caught:
        access_token_get(user=expired)
    assert f"AADSTS{code}" in caught.value.reason
    connection = MicrosoftConnection.objects.get(user=expired)
    assert connection.needs_sign_in
    assert connection.needs_sign_in_reason == caught.value.reason
    assert connection.refresh_claim is None
    with pytest.raises(ReauthRequired):
        access_token_get(user=expired)
    assert len(entra.requests) == 1


@pytest.mark.parametrize(
    "answer",
    [
        {"status": 503, "body": "<html>Service Unavailable</html>"},
        {"status": 500, "json": {"error": "invalid_grant", "error_codes": [70000]}},
        {"status": 429, "json": {"error": "temporarily_unavailable"}},
        {"body": requests.ConnectTimeout("connect timed out")},
        {"body": requests.ConnectionError("refused")},
    ],
)
def test_it_does_not_ask_for_sign_in_when_entra_is_unavailable(expired, entra, answer) -> None:
    entra.mock.post(entra.url, **answer)
    with pytest.raises(MicrosoftTokenError, match="temporarily_unavailable"):
        access_token_get(user=expired)
    connection = MicrosoftConnection.objects.get(user=expired)
    assert not connection.needs_sign_in
    assert connection.refresh_claim is None  # the next caller tries again at once
    entra.refreshes()
    assert access_token_get(user=expired) == "new-access"


@pytest.mark.parametrize(
    "answer",
    [
        {"body": "<html>not json</html>"},
        {"json": {"token_type": "Bearer", "expires_in": 3600}},
        {"json": {"access_token": "a", "token_type": "Bearer", "expires_in": "forever"}},
        {"status": 400, "body": "nonsense"},
        {"body": "x" * 300_000},
    ],
)
def test_it_rejects_an_unusable_answer_without_asking_for_sign_in(expired, entra, answer) -> None:
    entra.mock.post(entra.url, **answer)
    with pytest.raises(MicrosoftTokenError, match="invalid_response"):
        access_token_get(user=expired)
    assert not MicrosoftConnection.objects.get(user=expired).needs_sign_in


def test_it_does_not_blame_the_person_for_a_bad_client_secret(expired, entra) -> None:
    entra.refuses("invalid_client", 7000215, status=401)
    with pytest.raises(MicrosoftTokenError, match="AADSTS7000215") as caught:
        access_token_get(user=expired)
    assert caught.value.error == "invalid_client"
    assert caught.value.status == 401
    assert not MicrosoftConnection.objects.get(user=expired).needs_sign_in


def test_it_never_logs_or_raises_token_values(expired, entra, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    entra.refuses("invalid_grant", 700082)
    with pytest.raises(ReauthRequired) as caught:
        access_token_get(user=expired)
    seen = f"{caught.value} {caught.value.__cause__} {caught.value.__context__} {caplog.text}"
    assert "AADSTS700082" in caplog.text
    assert "alice-refresh-1" not in seen
    assert "alice-access-1" not in seen
    assert "test-microsoft-client-secret" not in seen


def test_it_never_logs_new_tokens(expired, entra, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    entra.refreshes(access_token="alice-access-2", refresh_token="alice-refresh-2")
    assert access_token_get(user=expired) == "alice-access-2"
    assert "alice-access-2" not in caplog.text
    assert "alice-refresh-2" not in caplog.text

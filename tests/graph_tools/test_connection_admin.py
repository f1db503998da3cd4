"""Administrators see each person's Microsoft connection and its state, never a token."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from graph_tools.models import MicrosoftConnection
from tests.graph_tools.conftest import TENANT, raw_tokens


@pytest.fixture
def admin_client(db) -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("admin", password="unused-password-1"))
    return client


def change_url(user: User) -> str:
    pk = MicrosoftConnection.objects.values_list("pk", flat=True).get(user=user)
    return reverse("admin:graph_tools_microsoftconnection_change", args=[pk])


def secrets_of(user: User) -> list[str]:
    name = user.username
    return [f"{name}-access-1", f"{name}-refresh-1", *filter(None, raw_tokens(user))]


def test_it_lists_connections_without_tokens(admin_client, alice, bob) -> None:
    response = admin_client.get(reverse("admin:graph_tools_microsoftconnection_changelist"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "alice@contoso.example" in html
    assert "bob@contoso.example" in html
    for secret in [*secrets_of(alice), *secrets_of(bob)]:
        assert secret not in html


def test_it_shows_a_connection_without_tokens(admin_client, alice) -> None:
    MicrosoftConnection.objects.filter(user=alice).update(
        needs_sign_in=True, needs_sign_in_reason="refresh token expired (AADSTS700082)"
    )
    response = admin_client.get(change_url(alice))
    html = response.content.decode()
    assert response.status_code == 200
    for shown in (TENANT, "alice@contoso.example", "Mail.Read", "AADSTS700082"):
        assert shown in html
    for secret in secrets_of(alice):
        assert secret not in html
    assert 'name="access_token"' not in html
    assert 'name="tenant_id"' not in html  # read-only


def test_it_shows_connections_whose_tokens_no_key_reads(admin_client, alice, use_keys) -> None:
    use_keys(Fernet.generate_key())
    assert admin_client.get(change_url(alice)).status_code == 200


def test_it_cannot_add_connections(admin_client) -> None:
    response = admin_client.get(reverse("admin:graph_tools_microsoftconnection_add"))
    assert response.status_code == 403


def test_it_asks_selected_people_to_sign_in_again(admin_client, alice, bob) -> None:
    pk = MicrosoftConnection.objects.get(user=alice).pk
    response = admin_client.post(
        reverse("admin:graph_tools_microsoftconnection_changelist"),
        {"action": "require_sign_in", "_selected_action": [pk]},
    )
    assert response.status_code == 302
    alices = MicrosoftConnection.objects.get(user=alice)
    assert alices.needs_sign_in
    assert alices.needs_sign_in_reason == "an administrator asked for a new sign-in"
    assert not MicrosoftConnection.objects.get(user=bob).needs_sign_in


def test_it_refuses_people_who_are_not_staff(alice) -> None:
    client = Client()
    client.force_login(alice)
    response = client.get(change_url(alice))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_it_deletes_a_connection_whatever_the_keys(admin_client, alice, use_keys) -> None:
    use_keys(Fernet.generate_key())
    url = change_url(alice).replace("/change/", "/delete/")
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not MicrosoftConnection.objects.filter(user=alice).exists()

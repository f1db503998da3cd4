"""A person sees the assistants they approved and revokes one, which ends its access at once."""

from __future__ import annotations

import pytest
from django.test import Client
from oauth2_provider.models import AccessToken, RefreshToken

from oauth_bridge.models import Approval
from tests.oauth_bridge.conftest import make_client, tokens_for

pytestmark = pytest.mark.django_db


def test_it_lists_approved_clients_with_their_capabilities(signed_in, alice, public_client) -> None:
    tokens_for(signed_in, public_client)
    html = signed_in.get("/account/").content.decode()
    assert "Claude" in html
    assert "Read your mail and attachments" in html
    assert "Revoke access" in html


def test_it_needs_a_signed_in_person() -> None:
    response = Client().get("/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in")


def test_it_revokes_a_client_and_its_tokens_at_once(signed_in, alice, public_client) -> None:
    tokens_for(signed_in, public_client)
    approval = Approval.objects.get(user=alice)
    response = signed_in.post(f"/account/apps/{approval.pk}/revoke")
    assert response.status_code == 302
    assert not Approval.objects.exists()
    assert not AccessToken.objects.exists()
    assert all(token.revoked for token in RefreshToken.objects.all())


def test_it_leaves_other_clients_alone(signed_in, alice, public_client) -> None:
    other = make_client(name="Other")
    tokens_for(signed_in, public_client)
    tokens_for(signed_in, other)
    approval = Approval.objects.get(user=alice, application=public_client)
    signed_in.post(f"/account/apps/{approval.pk}/revoke")
    assert AccessToken.objects.get().application == other


def test_it_never_reaches_another_persons_approval(signed_in, alice, bob, public_client) -> None:
    bobs = Approval.objects.create(user=bob, application=public_client, scope="mail.read")
    assert signed_in.post(f"/account/apps/{bobs.pk}/revoke").status_code == 404
    assert Approval.objects.filter(pk=bobs.pk).exists()
    assert "Claude" not in signed_in.get("/account/").content.decode()


def test_it_refuses_revocation_by_get(signed_in, alice, public_client) -> None:
    approval = Approval.objects.create(user=alice, application=public_client, scope="mail.read")
    assert signed_in.get(f"/account/apps/{approval.pk}/revoke").status_code == 405

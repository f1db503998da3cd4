"""What changes while the person is on the consent page or at Microsoft is honoured when the
code would be issued: a client disabled meanwhile gets no code, and neither does a person an
administrator deactivated."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from oauth2_provider.models import Grant

from oauth_bridge.models import Approval
from oauth_bridge.services import client_disable
from tests.oauth_bridge.conftest import allow, authorize_url, consent_handle, through_entra
from tests.pkce import Pkce

pytestmark = pytest.mark.django_db


def consent(browser: Client, application) -> str:
    page = browser.get(authorize_url(application, Pkce()))
    assert page.status_code == 200, page.content[:300]
    return consent_handle(page)


def start_sign_in(browser: Client, application) -> Any:
    """Consent, and return the redirect to Entra."""
    return allow(browser, application, Pkce())


def test_it_issues_no_code_for_a_client_disabled_during_consent(signed_in, public_client) -> None:
    handle = consent(signed_in, public_client)
    client_disable(application=public_client)
    response = signed_in.post("/authorize/", {"request": handle, "allow": "yes"})
    assert "code=" not in response.get("Location", "")
    assert not Grant.objects.exists()


def test_it_issues_no_code_for_a_client_disabled_during_sign_in(fake, public_client) -> None:
    browser = Client()
    to_entra = start_sign_in(browser, public_client)
    client_disable(application=public_client)
    response = through_entra(browser, to_entra)
    assert "code=" not in response.get("Location", "")
    assert not Grant.objects.exists()


def test_it_signs_no_deactivated_person_in(fake, public_client) -> None:
    first = Client()
    through_entra(first, start_sign_in(first, public_client))  # alice has signed in before
    User.objects.update(is_active=False)  # an administrator has since deactivated her
    Grant.objects.all().delete()
    Approval.objects.all().delete()
    browser = Client()
    response = through_entra(browser, start_sign_in(browser, public_client))
    assert response.status_code == 403
    assert "code=" not in response.get("Location", "")
    assert not Grant.objects.exists()
    assert not Approval.objects.exists()
    assert "_auth_user_id" not in browser.session

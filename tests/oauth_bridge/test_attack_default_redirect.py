"""A request without ``redirect_uri`` uses the client's only registered one (RFC 6749
§3.1.2.3); that URI must still meet the redirect policy (https, or http on loopback), or an
operator-made client or CIMD document could send codes and errors to a plain-http host."""

from __future__ import annotations

import pytest

from tests.oauth_bridge.conftest import authorize_url, make_client
from tests.pkce import Pkce

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("method", ["S256", "plain"])
def test_it_never_redirects_to_a_default_uri_outside_the_policy(signed_in, method: str) -> None:
    application = make_client(redirect_uris="http://evil.example/cb")
    response = signed_in.get(
        authorize_url(application, Pkce(), redirect_uri=None, code_challenge_method=method)
    )
    assert response.status_code == 400
    assert "Location" not in response


def test_it_uses_a_safe_default_uri(signed_in, public_client) -> None:
    response = signed_in.get(authorize_url(public_client, Pkce(), redirect_uri=None))
    assert response.status_code == 200  # the consent page
    assert "127.0.0.1:33418" in response.content.decode()

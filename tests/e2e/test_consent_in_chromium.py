"""The consent page in a real browser: see the client and its capabilities, approve, land on
the client's redirect URI with a code (headless Chromium, the real server, fake Entra)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from tests.e2e.browser import headless_chromium
from tests.e2e.conftest import LiveServer
from tests.pkce import Pkce
from tests.processes import REPO, free_port

SCREENSHOTS = REPO / "var" / "screenshots"


def test_it_approves_a_client_in_chromium(live_server_with_fake: LiveServer) -> None:
    server = live_server_with_fake
    redirect_uri = f"http://127.0.0.1:{free_port()}/callback"
    client = server.register_client(name="Chromium Test Assistant", redirect_uri=redirect_uri)
    pkce = Pkce()
    with headless_chromium() as browser:
        browser.open(
            server.authorize_url(
                client_id=client["client_id"], redirect_uri=redirect_uri, pkce=pkce
            )
        )
        assert "Chromium Test Assistant" in browser.text("h1")
        capabilities = browser.text("ul.capabilities")
        assert "Read your mail and attachments" in capabilities
        assert "Read your calendars" in capabilities
        assert "UNVERIFIED" in browser.text(".warning")  # rendered through the stylesheet
        browser.screenshot(SCREENSHOTS / "consent.png")
        browser.click('button[name="allow"]')
        landed = browser.wait_for_url(redirect_uri)
    params = {k: v[0] for k, v in parse_qs(urlsplit(landed).query).items()}
    assert params["state"] == "e2e-state"
    assert params["iss"] == server.url
    token = server.exchange(
        client_id=client["client_id"], code=params["code"], redirect_uri=redirect_uri, pkce=pkce
    )
    assert token.status_code == 200, token.text
    assert token.json()["token_type"] == "Bearer"

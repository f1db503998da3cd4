"""Metadata documents on this machine are fetched only with CIMD_ALLOW_LOOPBACK in development,
over verified https; otherwise DOT's SSRF-safe fetcher refuses loopback as before."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from oauth2_provider.cimd import CIMDError

from oauth_bridge.cimd import LoopbackMetadataFetcher
from tests.e2e.metadata_document import MetadataDocumentServer

REDIRECT_URI = "http://127.0.0.1:33418/callback"


@pytest.fixture
def document(tmp_path) -> Iterator[MetadataDocumentServer]:
    with MetadataDocumentServer(tmp_path, redirect_uri=REDIRECT_URI, client_name="Local") as served:
        yield served


@pytest.fixture
def loopback_allowed(settings, document, monkeypatch) -> None:
    settings.DEBUG = True  # development mode (pytest-django runs tests with DEBUG off)
    settings.DEPLOYMENT = replace(settings.DEPLOYMENT, cimd_allow_loopback=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(document.ca_file))


@pytest.mark.usefixtures("loopback_allowed")
def test_it_fetches_a_loopback_document_in_development(document) -> None:
    metadata, max_age = LoopbackMetadataFetcher().fetch(document.client_id)
    assert metadata["client_id"] == document.client_id
    assert metadata["redirect_uris"] == [REDIRECT_URI]
    assert max_age > 0
    assert document.fetches == 1


def test_it_refuses_loopback_without_the_flag(document, monkeypatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(document.ca_file))
    with pytest.raises(CIMDError, match="non-public address"):
        LoopbackMetadataFetcher().fetch(document.client_id)
    assert document.fetches == 0


@pytest.mark.usefixtures("loopback_allowed")
def test_it_refuses_loopback_in_production_mode(document, settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CIMDError, match="non-public address"):
        LoopbackMetadataFetcher().fetch(document.client_id)
    assert document.fetches == 0


@pytest.mark.usefixtures("loopback_allowed")
def test_it_refuses_a_certificate_it_does_not_trust(document, monkeypatch, tmp_path) -> None:
    empty = tmp_path / "no-ca.pem"
    empty.write_text("")
    monkeypatch.setenv("SSL_CERT_FILE", str(empty))
    with pytest.raises(CIMDError, match="could not fetch client_id document"):
        LoopbackMetadataFetcher().fetch(document.client_id)
    assert document.fetches == 0


@pytest.mark.usefixtures("loopback_allowed")
def test_it_leaves_plain_http_to_dots_refusal(document) -> None:
    with pytest.raises(CIMDError, match="https scheme"):
        LoopbackMetadataFetcher().fetch(document.client_id.replace("https://", "http://"))

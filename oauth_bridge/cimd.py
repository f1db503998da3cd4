"""Client ID Metadata Documents served from this machine: for tests and development only.

DOT's ``SafeMetadataFetcher`` (``oauth2_provider/cimd.py``) refuses every address that is not
public, which is right for a deployment (SSRF, draft-ietf-oauth-client-id-metadata-document
§6.5) but means a client running on a developer's machine or in a test can never be resolved.
With ``CIMD_ALLOW_LOOPBACK=true``, which ``config/deployment.py`` refuses with DEBUG off, this
fetcher also fetches a document whose host resolves to loopback addresses only, with the same
bounds as DOT's: https with certificate verification against the default trust store (a test
points ``SSL_CERT_FILE`` at its own CA), no redirects, one deadline for every attempt, and
DOT's size cap and JSON checks. Every other URL, and every URL without the flag, goes to DOT's
fetcher unchanged.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
from typing import Any, cast
from urllib.parse import ParseResult

import urllib3
from django.conf import settings
from oauth2_provider.cimd import CIMDError, SafeMetadataFetcher, _validate_client_id_url
from oauth2_provider.settings import oauth2_settings

ACCEPT = "application/json, application/*+json"  # what DOT's fetcher asks for
Fetched = tuple[dict[str, Any], int]  # the document and how long it may be cached (seconds)


class LoopbackMetadataFetcher(SafeMetadataFetcher):  # type: ignore[misc]
    def fetch(self, client_id: str) -> Fetched:
        if not loopback_allowed():
            return cast(Fetched, super().fetch(client_id))
        parsed = _validate_client_id_url(client_id)
        port = parsed.port or 443
        addresses = loopback_addresses(parsed.hostname or "", port)
        if not addresses:
            return cast(Fetched, super().fetch(client_id))
        return self._fetch_loopback(parsed, port, addresses)

    def _fetch_loopback(self, parsed: ParseResult, port: int, addresses: list[str]) -> Fetched:
        deadline = time.monotonic() + oauth2_settings.CIMD_FETCH_TIMEOUT_SECONDS
        path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
        failure: Exception | None = None
        for address in addresses:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            # Connect to the resolved address and verify the certificate for the host name,
            # as DOT's fetcher does, so a second lookup cannot point elsewhere.
            pool = urllib3.HTTPSConnectionPool(
                host=address,
                port=port,
                timeout=urllib3.Timeout(total=remaining),
                retries=False,
                maxsize=1,
                ssl_context=ssl.create_default_context(),
                server_hostname=parsed.hostname,
            )
            try:
                response = pool.urlopen(
                    "GET",
                    path,
                    headers={"Host": parsed.netloc, "Accept": ACCEPT},
                    redirect=False,
                    preload_content=False,
                )
                try:
                    return cast(Fetched, self._read_document(response))
                finally:
                    response.release_conn()
            except urllib3.exceptions.HTTPError as error:
                failure = error
            finally:
                pool.close()
        raise CIMDError(f"could not fetch client_id document: {failure}")


def loopback_allowed() -> bool:
    # Checked on every fetch as well as at start-up: never in production mode.
    return bool(settings.DEBUG and settings.DEPLOYMENT.cimd_allow_loopback)


def loopback_addresses(host: str, port: int) -> list[str]:
    """The host's addresses when every one is loopback; otherwise none (DOT decides)."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return []
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    return addresses if addresses and all(map(_is_loopback, addresses)) else []


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False

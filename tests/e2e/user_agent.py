"""A scripted person at a browser: follows an authorization URL through our consent page and
the fake of Microsoft, and stops where the browser would land on the client's redirect URI.

Real clients (the mcp SDK, mcp-remote, MCP Inspector, the conformance suite) print or hand
over their authorization URL; this drives it headlessly, the way the reference's "user-agent
driver" recipe describes.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import httpx2

HANDLE = re.compile(r'name="request" value="([^"]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
MAX_HOPS = 12


class UserAgent:
    """Keeps cookies like a browser; ``hosts`` are the origins it walks through itself."""

    def __init__(self, *hosts: str) -> None:
        self.hosts = {urlsplit(host).netloc for host in hosts}
        self.http = httpx2.Client(timeout=30, follow_redirects=False)
        self.consent_pages = 0

    def approve(self, authorize_url: str, *, allow: bool = True) -> str:
        """Answer every consent page; return the URL the browser would go to at the client."""
        url = authorize_url
        for _ in range(MAX_HOPS):
            if urlsplit(url).netloc not in self.hosts:
                return url
            response = self.http.get(url)
            if response.status_code == 200 and HANDLE.search(response.text):
                response = self._answer(url, response.text, allow=allow)
            if response.status_code not in (301, 302, 303, 307):
                raise AssertionError(
                    f"{url} answered {response.status_code}: {response.text[:300]}"
                )
            url = urljoin(url, response.headers["location"])
        raise AssertionError("too many redirects")

    def _answer(self, url: str, html: str, *, allow: bool) -> httpx2.Response:
        self.consent_pages += 1
        handle = HANDLE.search(html)
        csrf = CSRF.search(html)
        assert handle, "the consent page has no request handle"
        assert csrf, "the consent page has no CSRF token"
        choice = {"allow": "yes"} if allow else {"deny": "yes"}
        return self.http.post(
            urljoin(url, "/authorize/"),
            headers={"Referer": url},
            data={"request": handle.group(1), "csrfmiddlewaretoken": csrf.group(1), **choice},
        )

    def close(self) -> None:
        self.http.close()

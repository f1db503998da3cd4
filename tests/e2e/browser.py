"""Headless Chromium for page tests, driven through Debian's chromedriver over the W3C
WebDriver protocol (plain HTTP, so no browser-automation package is needed).

    with headless_chromium() as browser:
        browser.open(url); browser.click('button[name="allow"]'); browser.current_url()

Chromium starts with --no-sandbox (we run as root in CI) and without background networking,
whose connections this machine's closed network would refuse.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.processes import free_port, wait_for

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--window-size=1200,900",
]
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"  # W3C WebDriver §12.1 web element identifier


class Browser:
    def __init__(self, endpoint: str, session_id: str) -> None:
        self.base = f"{endpoint}/session/{session_id}"

    def _call(self, method: str, path: str, payload: dict[str, Any] | None = None) -> Any:
        response = requests.request(method, f"{self.base}{path}", json=payload, timeout=30)
        value = response.json()["value"]
        if response.status_code != 200:
            raise AssertionError(f"WebDriver {path}: {value.get('message', value)}")
        return value

    def open(self, url: str) -> None:
        self._call("POST", "/url", {"url": url})

    def current_url(self) -> str:
        return str(self._call("GET", "/url"))

    def page_source(self) -> str:
        return str(self._call("GET", "/source"))

    def text(self, selector: str = "body") -> str:
        return str(self._call("GET", f"/element/{self._find(selector)}/text"))

    def click(self, selector: str) -> None:
        self._call("POST", f"/element/{self._find(selector)}/click", {})

    def fill(self, selector: str, value: str) -> None:
        self._call("POST", f"/element/{self._find(selector)}/value", {"text": value})

    def screenshot(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(self._call("GET", "/screenshot")))

    def wait_for_url(self, prefix: str, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            url = self.current_url()
            if url.startswith(prefix):
                return url
            time.sleep(0.1)
        raise AssertionError(
            f"browser never reached {prefix}; it is at {self.current_url()}, showing "
            f"{self.text()[:500]!r}"
        )

    def _find(self, selector: str) -> str:
        found = self._call("POST", "/element", {"using": "css selector", "value": selector})
        return str(found[ELEMENT])


def browser_paths() -> tuple[str, str] | None:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    driver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    return (chromium, driver) if os.path.exists(chromium) and os.path.exists(driver) else None


@contextmanager
def headless_chromium() -> Iterator[Browser]:
    paths = browser_paths()
    if paths is None:
        if os.environ.get("REQUIRE_E2E_TOOLS"):
            pytest.fail("chromium and chromedriver are not installed but REQUIRE_E2E_TOOLS=1")
        pytest.skip("needs Debian's chromium and chromium-driver (installed by .ci/run)")
    chromium, driver = paths
    port = free_port()
    with (
        tempfile.TemporaryDirectory() as profile,
        subprocess.Popen(
            [driver, f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        ) as process,
    ):
        try:
            endpoint = f"http://127.0.0.1:{port}"
            wait_for(f"{endpoint}/status", timeout=20, process=process)
            options = {"binary": chromium, "args": [*CHROMIUM_ARGS, f"--user-data-dir={profile}"]}
            session = requests.post(
                f"{endpoint}/session",
                timeout=60,
                json={"capabilities": {"alwaysMatch": {"goog:chromeOptions": options}}},
            ).json()["value"]
            browser = Browser(endpoint, session["sessionId"])
            try:
                yield browser
            finally:
                requests.delete(browser.base, timeout=30)
        finally:
            process.terminate()
            process.wait(timeout=15)

"""Shared pieces of the security review's tests (tests/graph_tools/test_attack_*.py)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import quote, urlsplit

import responses

from tests.graph_tools.scenarios import GRAPH

# An Outlook id with "/", "+" and "=": each must reach Graph encoded, as one path segment.
MESSAGE_ID = "AAMkAGI2TG93AAA/bx+Q1=AAA="
MESSAGE_URL = f"{GRAPH}/me/messages/{quote(MESSAGE_ID, safe='')}"
EVENT_ID = "AAMkAGI2TG93AAA/ev+1="
EVENT_URL = f"{GRAPH}/me/events/{quote(EVENT_ID, safe='')}"
SECRET = "TOPSECRET-4242"  # stands for a mail body, a comment, anything private


def text(result: Any) -> str:
    return str(result.content[0].text)


def allow_only(settings: Any, *domains: str) -> None:
    """M365_SEND_ALLOWED_DOMAINS for the rest of the test."""
    settings.DEPLOYMENT = replace(
        settings.DEPLOYMENT,
        m365=replace(settings.DEPLOYMENT.m365, send_allowed_domains=domains),
    )


def person(address: str, name: str = "") -> dict[str, Any]:
    return {"emailAddress": {"name": name or address, "address": address}}


def hosts(mock: responses.RequestsMock) -> list[str]:
    """The host of every request the mock saw, in order."""
    return [str(urlsplit(str(call.request.url)).hostname) for call in mock.calls]


def requests_to(mock: responses.RequestsMock, method: str, suffix: str) -> list[Any]:
    """The requests with this method whose path (without the query) ends with ``suffix``."""
    return [
        call.request
        for call in mock.calls
        if call.request.method == method and urlsplit(str(call.request.url)).path.endswith(suffix)
    ]

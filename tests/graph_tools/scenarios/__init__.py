"""One happy-path scenario per tool, shared by the per-tool tests and the error-class tests.

Each area lists its scenarios in ``tests/graph_tools/scenarios/<area>.py`` as ``SCENARIOS``;
``test_every_tool_errors.py`` replays every one of them with each Graph failure injected into
its first Graph request, and checks that every tool of the catalogue has a scenario.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import responses

GRAPH = "https://graph.microsoft.com/v1.0"
ZONE = "W. Europe Standard Time"  # alice's mailbox time zone in these tests (preloaded)


@dataclass(frozen=True)
class Scenario:
    tool: str
    arguments: dict[str, Any]
    # The first Graph request the call makes: method and URL without the query string.
    first: tuple[str, str]
    # Registers every Graph reply of a successful call, in order.
    happy: Callable[[responses.RequestsMock], None]
    # False when the first request's success has no JSON body (202/204): a "malformed
    # reply" cannot happen there.
    returns_json: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.tool

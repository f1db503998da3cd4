"""Scenarios of the mail tools (see __init__.py)."""

from __future__ import annotations

from tests.graph_tools.scenarios import Scenario

SCENARIOS: list[Scenario] = []

"""The calendar tools."""

from __future__ import annotations

from graph_tools.tooling import Resource, Tool

TOOLS: tuple[Tool, ...] = ()
RESOURCES: tuple[Resource, ...] = ()

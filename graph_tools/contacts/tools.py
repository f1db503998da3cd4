"""The contacts and people tools."""

from __future__ import annotations

from graph_tools.tooling import Tool

TOOLS: tuple[Tool, ...] = ()

"""The server's own settings (config.settings, from the environment as `make run` reads it),
with the per-person rate limits set high enough never to trigger: the benchmark drives one
person far faster than anyone types, and measures the limits' cost, not their refusals."""

from config.settings import *  # noqa: F403

MCP_TOOL_CALLS_PER_MINUTE = 1_000_000_000
MCP_SESSIONS_PER_MINUTE = 1_000_000_000

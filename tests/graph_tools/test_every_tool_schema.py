"""Every tool's happy-path result validates against the output schema it advertises.

Clients (the mcp SDK's among them) check ``structuredContent`` against ``outputSchema`` and
reject a tool result that does not match, so a nullable field the schema calls a string, or a
missing required field, breaks the tool for them.
"""

from __future__ import annotations

import jsonschema  # type: ignore[import-untyped]  # a dependency of mcp, without stubs
import pytest

from graph_tools import catalog
from mcp_gateway.execution import tool_invoke
from mcp_gateway.registry import sdk_tool
from tests.graph_tools.test_every_tool_errors import SCENARIOS

pytestmark = pytest.mark.django_db(transaction=True)
TOOLS = {tool.name: tool for tool in catalog.ALL_TOOLS}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
async def test_it_returns_what_its_output_schema_promises(
    scenario, call_tool, graph, mailbox_zone
) -> None:
    scenario.happy(graph)
    result = await call_tool(scenario.tool, scenario.arguments, consent="confirmed")
    assert not result.is_error, result.content[0]
    schema = sdk_tool(TOOLS[scenario.tool], tool_invoke).output_schema
    jsonschema.validate(result.structured_content, schema)

"""The Microsoft 365 tools as the gateway offers them: complete, documented, small, policed."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from graph_tools import catalog
from mcp_gateway.registry import declared_tools
from mcp_gateway.server import build_server
from tests.processes import REPO

ORIGINAL_TOOLS = {
    "sendEmail",
    "getEmails",
    "searchEmails",
    "getCalendarEvents",
    "createCalendarEvent",
    "sendTeamsMessage",
    "createTeamsMeeting",
    "getContacts",
}
TOKEN_BUDGET = 12_000
CHARACTERS_PER_TOKEN = 4


def offered_names() -> set[str]:
    return {tool.name for tool in declared_tools()}


def policy(settings, **changes) -> None:
    settings.DEPLOYMENT = replace(
        settings.DEPLOYMENT, m365=replace(settings.DEPLOYMENT.m365, **changes)
    )


async def test_it_keeps_tools_list_under_its_token_budget() -> None:
    tools = await build_server(declared_tools(), resources=False).list_tools()
    listed = json.dumps(
        {
            "tools": [
                tool.model_dump(by_alias=True, exclude_none=True, mode="json") for tool in tools
            ]
        },
        separators=(",", ":"),
    )
    assert len(tools) == len(catalog.ALL_TOOLS) + 1  # and whoami
    assert len(listed) / CHARACTERS_PER_TOKEN < TOKEN_BUDGET, len(listed)


def test_it_keeps_the_original_projects_tools() -> None:
    assert offered_names() >= ORIGINAL_TOOLS


def test_it_lists_every_tool_in_the_readme_with_its_scope() -> None:
    readme = (REPO / "README.md").read_text()
    rows = dict(re.findall(r"^\| `(\w+)`(?: ★)? \| \w+ \| `([\w.]+)` \|", readme, re.M))
    assert rows == {tool.name: tool.scope for tool in catalog.ALL_TOOLS}
    for resource in catalog.ALL_RESOURCES:
        assert f"| `{resource.uri}` |" in readme


@pytest.mark.parametrize("tool", catalog.ALL_TOOLS, ids=lambda tool: tool.name)
def test_it_declares_each_tool_completely(tool) -> None:
    fields = tool.input_model.model_fields
    assert not re.search(r"\w\w\. [A-Z]", tool.description), "one sentence"
    assert tool.description.endswith(".")
    assert tool.input_model.model_config.get("extra") == "forbid"
    assert tool.read_only != tool.destructive or not tool.read_only
    if tool.destructive:
        assert tool.confirmation_question is not None
        assert "confirm" in fields
    if "nextCursor" in tool.output_model.model_fields:
        assert "cursor" in fields


def test_it_offers_only_the_configured_groups(settings) -> None:
    policy(settings, toolsets=("calendar",))
    names = offered_names()
    assert "getCalendarEvents" in names
    assert not names & {"getEmails", "sendTeamsMessage", "getContacts", "createTeamsMeeting"}
    assert "whoami" in names


def test_it_offers_no_tool_that_changes_anything_when_read_only(settings) -> None:
    policy(settings, read_only=True)
    offered = declared_tools()
    assert offered
    assert all(tool.read_only for tool in offered)
    assert {"getEmails", "getCalendarEvents", "listTeams"} <= {tool.name for tool in offered}


def test_it_offers_resources_of_the_configured_groups_only(settings) -> None:
    policy(settings, toolsets=("mail",))
    uris = {resource.uri for resource in catalog.offered_resources()}
    assert "microsoft://profile" in uris
    assert "microsoft://calendars" not in uris
    assert "microsoft://teams" not in uris

"""Every Microsoft 365 tool and resource, and which of them this deployment offers."""

from __future__ import annotations

from django.conf import settings

from graph_tools.calendar import tools as calendar
from graph_tools.contacts import tools as contacts
from graph_tools.mail import tools as mail
from graph_tools.profile import RESOURCES as PROFILE_RESOURCES
from graph_tools.teams import tools as teams
from graph_tools.tooling import Resource, Tool

ALL_TOOLS: tuple[Tool, ...] = (*mail.TOOLS, *calendar.TOOLS, *contacts.TOOLS, *teams.TOOLS)
ALL_RESOURCES: tuple[Resource, ...] = (
    *PROFILE_RESOURCES,
    *mail.RESOURCES,
    *calendar.RESOURCES,
    *teams.RESOURCES,
)


def offered_tools() -> tuple[Tool, ...]:
    """The tools M365_TOOLSETS and M365_READ_ONLY allow; the others are not even listed."""
    policy = settings.DEPLOYMENT.m365
    return tuple(
        tool
        for tool in ALL_TOOLS
        if tool.toolset in policy.toolsets and (tool.read_only or not policy.read_only)
    )


def offered_resources() -> tuple[Resource, ...]:
    policy = settings.DEPLOYMENT.m365
    return tuple(
        resource
        for resource in ALL_RESOURCES
        if resource.toolset is None or resource.toolset in policy.toolsets
    )

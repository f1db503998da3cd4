"""The gateway's own tools; useful before any Microsoft 365 tool exists."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from mcp_gateway.caller import current_caller
from mcp_gateway.registry import ToolSpec


class NoArguments(BaseModel):
    model_config = ConfigDict(extra="forbid", title="whoami arguments")


class Identity(BaseModel):
    name: str = Field(description="The signed-in person's display name (their username if none).")
    username: str = Field(description="The person's username on this server.")
    client: str = Field(description="The assistant (OAuth client) this connection belongs to.")
    scopes: list[str] = Field(description="The permissions granted to this connection.")


class NotSignedIn(Exception):
    tool_message = "No person is signed in on this connection. Connect with OAuth first."


async def whoami(*, person: Any, arguments: NoArguments, request_ids: list[str]) -> Identity:
    caller = current_caller()
    if caller is None:
        raise NotSignedIn
    return Identity(
        name=caller.person_name,
        username=caller.username,
        client=caller.client_name,
        scopes=caller.sorted_scopes(),
    )


def render_identity(identity: Identity) -> str:
    scopes = ", ".join(identity.scopes) or "none"
    who = f"{identity.name} ({identity.username})"
    return f"Signed in as {who} via {identity.client}; scopes: {scopes}."


TOOLS = (
    ToolSpec(
        name="whoami",
        description="Tell who is signed in, through which assistant, and which permissions it has.",
        scope=None,
        input_model=NoArguments,
        output_model=Identity,
        handler=whoami,
        render=render_identity,
        read_only=True,
        destructive=False,
        idempotent=True,
        open_world=False,
    ),
)

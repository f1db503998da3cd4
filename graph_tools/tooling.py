"""How a Microsoft 365 tool is declared, and the argument types every tool shares.

A tool is a ``Tool`` (the shape mcp_gateway.registry.ToolDeclaration asks for, see
docs/tools.md) whose ``run(graph, arguments)`` is plain synchronous code on a ``GraphClient``
bound to the caller. ``handler`` runs it on a worker thread, so the event loop never waits
on Microsoft and many calls proceed at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import quote

from channels.db import database_sync_to_async
from django.contrib.auth.models import AbstractBaseUser
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)

from graph_tools.client import GraphClient

Toolset = Literal["mail", "calendar", "contacts", "people", "teams", "meetings"]
TOOLSETS: tuple[Toolset, ...] = ("mail", "calendar", "contacts", "people", "teams", "meetings")


@dataclass(frozen=True)
class File:
    """An attachment returned to the client as an embedded resource, not as a string."""

    uri: str
    name: str
    mime_type: str
    data: bytes


@dataclass(frozen=True)
class Tool:
    name: str
    description: str  # one sentence: when to use the tool
    scope: str  # oauth_bridge.scopes; the call is refused (403 step-up) without it
    toolset: Toolset  # M365_TOOLSETS offers or withholds whole groups
    input_model: type[BaseModel]
    output_model: type[BaseModel]
    run: Callable[[GraphClient, Any], BaseModel]
    render: Callable[[Any], str]
    read_only: bool = False
    destructive: bool = False
    idempotent: bool = False
    # Destructive tools: the question put to the person before anything happens.
    confirmation: Callable[[Any], str] | None = None
    # Tools that return files: the files of an output (embedded resources).
    files: Callable[[Any], Sequence[File]] | None = None
    open_world: bool = True

    @property
    def handler(self) -> Callable[..., Any]:
        async def handle(
            *, person: AbstractBaseUser, arguments: BaseModel, request_ids: list[str]
        ) -> BaseModel:
            def work() -> BaseModel:
                graph = GraphClient(user=person, request_ids=request_ids, scope=self.scope)
                return self.run(graph, arguments)

            # thread_sensitive=False: Graph calls of different people run in parallel.
            output: BaseModel = await database_sync_to_async(work, thread_sensitive=False)()
            return output

        return handle


@dataclass(frozen=True)
class Resource:
    """An MCP resource read as the caller; ``uri`` may be an RFC 6570 template."""

    uri: str
    name: str
    description: str
    mime_type: str
    scope: str | None  # None: any signed-in person (their own profile)
    toolset: Toolset | None  # None: offered whatever M365_TOOLSETS says
    # (graph, template parameters) -> text or bytes
    read: Callable[[GraphClient, dict[str, str]], str | bytes]


class Arguments(BaseModel):
    """Base of every tool's input: unknown arguments are an error the model can fix."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Output(BaseModel):
    model_config = ConfigDict(populate_by_name=True)


def segment(graph_id: str) -> str:
    """An id as one URL path segment (Outlook ids contain ``/``, ``+`` and ``=``)."""
    return quote(graph_id, safe="")


def _one_or_many(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
    return value


def _not_a_dot_segment(value: str) -> str:
    # "." and ".." survive URL-encoding as themselves and would climb the request path.
    if value.strip(".") == "":
        raise ValueError("is not an id")
    return value


GraphId = Annotated[
    str,
    StringConstraints(min_length=1, max_length=512, pattern=r"^[A-Za-z0-9+/=_\-.:@!]+$"),
    AfterValidator(_not_a_dot_segment),
    Field(description="An id exactly as a list or search tool returned it."),
]
ADDRESS_PATTERN = r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$"
EmailAddress = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=254, pattern=ADDRESS_PATTERN)
]
Addresses = Annotated[
    list[EmailAddress],
    BeforeValidator(_one_or_many),
    Field(max_length=100),
]
TimeZone = Annotated[
    str | None,
    StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9 _+\-/().,']+$"),
    Field(
        description="Time zone for times in and out, Windows or IANA name (e.g. "
        "'W. Europe Standard Time', 'Europe/Berlin'). Default: the mailbox's time zone."
    ),
]
Cursor = Annotated[
    str | None,
    Field(max_length=4096, description="nextCursor from the previous call, for the next page."),
]
Confirm = Annotated[
    bool,
    Field(
        description="Only for clients without elicitation: true once the person has "
        "explicitly agreed to this exact action."
    ),
]


# Output fields that may be null, written as {"type": [T, "null"]}: what pydantic's anyOf
# says, in fewer characters of tools/list. Clients validate structuredContent against these.
NullableText = Annotated[str | None, WithJsonSchema({"type": ["string", "null"]})]
NullableInt = Annotated[int | None, WithJsonSchema({"type": ["integer", "null"]})]


def count_field(default: int, maximum: int, what: str = "items") -> Any:
    return Field(default, ge=1, le=maximum, description=f"How many {what} (1-{maximum}).")

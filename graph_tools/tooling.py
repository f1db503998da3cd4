"""How a Microsoft 365 tool is declared, and the argument types every tool shares.

A tool is a ``Tool`` (the shape mcp_gateway.registry.ToolDeclaration asks for, see
docs/tools.md) whose ``run(graph, arguments)`` is plain synchronous code on a ``GraphClient``
bound to the caller. ``handler`` runs it on a worker thread, so the event loop never waits
on Microsoft and many calls proceed at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal, TypeVar
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

T = TypeVar("T")
Toolset = Literal["mail", "calendar", "contacts", "people", "teams", "meetings"]
TOOLSETS: tuple[Toolset, ...] = ("mail", "calendar", "contacts", "people", "teams", "meetings")


# Graph calls spend nearly all their time waiting on Microsoft. The event loop's default pool
# has min(32, CPUs + 4) threads: a 2-core server ran 6 calls at once and queued the rest
# (docs/performance.md). Each thread may hold a database connection while its call runs
# (PostgreSQL's max_connections must allow this many per server process, plus a few).
GRAPH_THREADS = 32
_graph_pool = ThreadPoolExecutor(max_workers=GRAPH_THREADS, thread_name_prefix="graph")


async def on_graph_thread(work: Callable[[], T]) -> T:
    """Run blocking Graph work off the event loop, with Django's connection clean-up.

    Not thread-sensitive: Graph calls of different people (and of the same person) run in
    parallel."""
    result: T = await database_sync_to_async(work, thread_sensitive=False, executor=_graph_pool)()
    return result


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
    # Destructive tools: the question put to the person before anything happens, from the
    # arguments alone, or (``question``) after reading the item from Graph: which draft, to
    # whom. One of the two.
    confirmation: Callable[[Any], str] | None = None
    question: Callable[[GraphClient, Any], str] | None = None
    # Tools that return files: the files of an output (embedded resources).
    files: Callable[[Any], Sequence[File]] | None = None
    open_world: bool = True

    @property
    def confirmation_question(self) -> Callable[..., Any] | None:
        confirmation, question = self.confirmation, self.question
        if question is not None:
            return self._threaded(question)
        if confirmation is None:
            return None

        async def ask(*, person: AbstractBaseUser, arguments: BaseModel) -> str:
            return confirmation(arguments)

        return ask

    def _threaded(self, question: Callable[[GraphClient, Any], str]) -> Callable[..., Any]:
        async def ask(*, person: AbstractBaseUser, arguments: BaseModel) -> str:
            def work() -> str:
                return question(
                    GraphClient(user=person, request_ids=[], scope=self.scope), arguments
                )

            return await on_graph_thread(work)

        return ask

    @property
    def handler(self) -> Callable[..., Any]:
        async def handle(
            *, person: AbstractBaseUser, arguments: BaseModel, request_ids: list[str]
        ) -> BaseModel:
            def work() -> BaseModel:
                graph = GraphClient(user=person, request_ids=request_ids, scope=self.scope)
                return self.run(graph, arguments)

            return await on_graph_thread(work)

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


def count_field(default: int, maximum: int, what: str = "items") -> Any:
    return Field(default, ge=1, le=maximum, description=f"How many {what} (1-{maximum}).")


# --- compact schemas ---------------------------------------------------------------------------
# tools/list is paid for on every turn of every conversation: these keep a type's validation
# but show the model a plain schema, the description saying the format.
STRING = WithJsonSchema({"type": "string"})
LIST = WithJsonSchema({"type": "array", "items": {"type": "string"}})
# Output fields that may be null, written as {"type": [T, "null"]}: what pydantic's anyOf
# says, in fewer characters. Clients validate structuredContent against these.
NullableText = Annotated[str | None, WithJsonSchema({"type": ["string", "null"]})]
NullableInt = Annotated[int | None, WithJsonSchema({"type": ["integer", "null"]})]
# The shared TimeZone's checks, with a short description.
Zone = Annotated[TimeZone, STRING, Field(description="Windows or IANA zone; default: mailbox's")]
GUID_PATTERN = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
# ISO 8601 to the minute, optionally seconds (Graph's seven fractional digits too) and offset.
ISO_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?"
)


def iso_date_time(value: str) -> str:
    """A date-time argument, local or with an offset; checked here rather than as a schema
    pattern, which would cost every tools/list."""
    if not ISO_DATE_TIME.fullmatch(value):
        raise ValueError("expected an ISO date-time such as 2026-12-01T14:00:00")
    datetime.fromisoformat(value)  # a real date: 2026-02-30 is refused here
    return value


def times_in_order(
    start: str | None, end: str | None, names: tuple[str, str] = ("the start", "the end")
) -> None:
    """Both times in the same form (local or with an offset), the end after the start."""
    if start is None or end is None:
        return
    first, last = datetime.fromisoformat(start), datetime.fromisoformat(end)
    if (first.tzinfo is None) != (last.tzinfo is None):
        raise ValueError(f"give {names[0]} and {names[1]} both with an offset or both without")
    if last <= first:
        raise ValueError(f"{names[1]} must be after {names[0]}")


def _unlisted_null_defaults(schema: dict[str, Any]) -> None:
    for field in schema.get("properties", {}).values():
        if "default" in field and field["default"] is None:
            del field["default"]


class OptionalArguments(Arguments):
    """An argument left out is None: the schema need not say "default": null for each."""

    model_config = ConfigDict(json_schema_extra=_unlisted_null_defaults)


def _unlisted_required(schema: dict[str, Any]) -> None:
    schema.pop("required", None)


class Result(Output):
    """An output whose fields are always present: its schema does not repeat their names in
    "required", which would add a third to each output schema in every tools/list."""

    model_config = ConfigDict(json_schema_extra=_unlisted_required)

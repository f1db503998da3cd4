"""The one tool registry: every tool is declared once, as plain data, and adapted to the SDK here.

A *declaration* is any object with the attributes of ``ToolDeclaration`` (a frozen dataclass
is the natural shape). Modules that declare tools expose them as a module-level ``TOOLS``
tuple and import nothing from mcp_gateway, so ``graph_tools`` keeps depending on nothing of
ours (mcp_gateway -> graph_tools): the gateway imports their ``TOOLS`` in ``declared_tools()``
and mypy checks each one against ``ToolDeclaration`` there. See docs/tools.md.

The handler contract, the same for every tool:

    async def handler(*, person, arguments, request_ids) -> OutputModel

- ``person``: the signed-in person (the Django user the access token was issued to);
- ``arguments``: an instance of ``input_model``, already validated;
- ``request_ids``: a list the handler appends each upstream request id to (Microsoft Graph's
  ``request-id``), kept in the audit record;
- it returns an instance of ``output_model`` (the tool's ``structuredContent``), and
  ``render(output)`` is the short text the model reads beside it;
- to fail in a way the model can act on, raise any exception with a ``tool_message`` string
  attribute: that text becomes the ``isError`` result, so it says what to do next. Anything
  else is logged as a crash and the model gets a generic "try again" result.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from mcp.server.mcpserver.resolve import Resolve, build_resolver_plans
from mcp.server.mcpserver.tools import Tool as SdkTool
from mcp.server.mcpserver.utilities.func_metadata import ArgModelBase, FuncMetadata
from mcp.types import CallToolResult, ToolAnnotations
from pydantic import BaseModel, ConfigDict

from mcp_gateway.confirmation import Consent, confirmed_run
from oauth_bridge.scopes import SCOPE_NAMES

# MCP tools, "Tool Names": 1-128 characters from this set.
TOOL_NAME = re.compile(r"[A-Za-z0-9_.-]{1,128}")


class ToolDeclaration(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def description(self) -> str: ...  # one sentence the model reads to pick the tool
    @property
    def scope(self) -> str | None: ...  # the one scope the tool needs; None: any caller
    @property
    def input_model(self) -> type[BaseModel]: ...  # field descriptions become the schema's
    @property
    def output_model(self) -> type[BaseModel]: ...
    @property
    def read_only(self) -> bool: ...
    @property
    def destructive(self) -> bool: ...
    @property
    def idempotent(self) -> bool: ...
    @property
    def open_world(self) -> bool: ...  # talks to something outside this server (Graph)
    @property
    def handler(self) -> Callable[..., Awaitable[BaseModel]]: ...
    @property
    def render(self) -> Callable[[Any], str]: ...
    @property
    def confirmation_question(self) -> Question | None: ...  # destructive: what to ask
    @property
    def files(self) -> Callable[[Any], Sequence[FileLike]] | None: ...  # embedded resources


class Question(Protocol):
    """``await question(person=…, arguments=…)``: the one-sentence question put to the person
    before a destructive call; it may look the item up (which draft, to whom)."""

    def __call__(self, *, person: Any, arguments: Any) -> Awaitable[str]: ...


class FileLike(Protocol):
    """A file a tool returns as an embedded resource (MCP content), never as a string."""

    @property
    def uri(self) -> str: ...
    @property
    def mime_type(self) -> str: ...
    @property
    def data(self) -> bytes: ...


@dataclass(frozen=True)
class ToolSpec:
    """The gateway's own declarations use this shape; any module may copy it."""

    name: str
    description: str
    scope: str | None
    input_model: type[BaseModel]
    output_model: type[BaseModel]
    handler: Callable[..., Awaitable[BaseModel]]
    render: Callable[[Any], str]
    read_only: bool
    destructive: bool
    idempotent: bool
    open_world: bool
    confirmation: Callable[[Any], str] | None = None
    files: Callable[[Any], Sequence[FileLike]] | None = None

    @property
    def confirmation_question(self) -> Question | None:
        question = self.confirmation
        if question is None:
            return None

        async def ask(*, person: Any, arguments: Any) -> str:
            return question(arguments)

        return ask


class Invoke(Protocol):
    def __call__(
        self, declaration: ToolDeclaration, arguments: dict[str, Any], *, consent: Consent = ...
    ) -> Awaitable[CallToolResult]: ...


def declared_tools() -> list[ToolDeclaration]:
    """Every tool, sorted by name: `tools/list` is deterministic (MCP 2026-07-28 tools)."""
    from graph_tools import catalog
    from mcp_gateway import tools as gateway_tools

    collected: tuple[ToolDeclaration, ...] = (*gateway_tools.TOOLS, *catalog.offered_tools())
    return checked(collected)


def checked(declarations: Iterable[ToolDeclaration]) -> list[ToolDeclaration]:
    """Refuse a bad declaration at start-up rather than serve a confusing tool."""
    result = sorted(declarations, key=lambda declaration: declaration.name)
    names = [declaration.name for declaration in result]
    if len(set(names)) != len(names):
        raise ImproperlyConfigured(f"duplicate MCP tool names in {names}")
    for declaration in result:
        problem = _problem(declaration)
        if problem:
            raise ImproperlyConfigured(f"MCP tool {declaration.name!r}: {problem}")
    return result


def _problem(declaration: ToolDeclaration) -> str | None:
    if not TOOL_NAME.fullmatch(declaration.name):
        return "the name must be 1-128 characters of A-Z a-z 0-9 _ . -"
    if not declaration.description.strip():
        return "a description is required"
    if declaration.scope is not None and declaration.scope not in SCOPE_NAMES:
        return f"unknown scope {declaration.scope!r}"
    if declaration.read_only and declaration.destructive:
        return "a read-only tool cannot be destructive"
    if declaration.destructive and declaration.confirmation_question is None:
        return "a destructive tool must say what it asks the person to confirm"
    return None


class _PassThroughArguments(ArgModelBase):
    """Hands the raw arguments to our adapter, which validates them against the input model
    itself so that a bad argument becomes a helpful, audited ``isError`` result."""

    model_config = ConfigDict(extra="allow")

    def model_dump_one_level(self) -> dict[str, Any]:
        return {"arguments": dict(self.model_extra or {})}


def sdk_tool(declaration: ToolDeclaration, invoke: Invoke) -> SdkTool:
    """The SDK ``Tool`` for a declaration (``MCPServer(tools=[...])`` takes these)."""
    resolved: dict[str, tuple[Resolve, bool]] = {}
    if declaration.confirmation_question is None:

        async def run(arguments: dict[str, Any]) -> CallToolResult:
            return await invoke(declaration, arguments)

    else:
        run, resolved = confirmed_run(declaration, invoke)
    return SdkTool(
        fn=run,
        name=declaration.name,
        title=None,
        description=declaration.description,
        parameters=compact_schema(declaration.input_model.model_json_schema()),
        fn_metadata=FuncMetadata(
            arg_model=_PassThroughArguments,
            output_schema=compact_schema(declaration.output_model.model_json_schema()),
            output_model=declaration.output_model,
        ),
        is_async=True,
        context_kwarg=None,
        resolved_params=resolved,
        resolver_plans=build_resolver_plans(resolved, {"arguments"}),
        annotations=ToolAnnotations(
            read_only_hint=declaration.read_only,
            destructive_hint=declaration.destructive,
            idempotent_hint=declaration.idempotent,
            open_world_hint=declaration.open_world,
        ),
    )


def compact_schema(schema: Any) -> Any:
    """The JSON schema without pydantic's generated ``title`` keys: they repeat the property
    names and cost the model tokens on every ``tools/list`` (a property *named* title stays)."""
    if isinstance(schema, list):
        return [compact_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    return {
        key: (compact_schema(value) if key != "properties" else _properties(value))
        for key, value in schema.items()
        if key != "title" or not isinstance(value, str)
    }


def _properties(properties: dict[str, Any]) -> dict[str, Any]:
    return {name: compact_schema(value) for name, value in properties.items()}

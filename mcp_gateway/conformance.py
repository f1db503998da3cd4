"""The conformance suite's fixture tools, prompts and resources, for CI only.

`@modelcontextprotocol/conformance` calls fixtures by fixed names (its server scenarios and
the SDK's everything-server describe them). They are added to a server built by the same
``build_server`` as production, and served by the same ``build_http_app`` minus
authentication, only by ``manage.py serve_conformance_fixtures`` on a loopback address.
Nothing in a deployment imports this module.
"""

from __future__ import annotations

import asyncio
import base64
import json
from typing import Any

from mcp.server import MCPServer
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.prompts.base import UserMessage
from mcp.shared.exceptions import MCPError
from mcp.types import (
    MISSING_REQUIRED_CLIENT_CAPABILITY,
    AudioContent,
    CompleteRequestParams,
    CompleteResult,
    Completion,
    CreateMessageRequest,
    CreateMessageRequestParams,
    CreateMessageResult,
    ElicitRequest,
    ElicitRequestFormParams,
    ElicitResult,
    EmbeddedResource,
    EmptyResult,
    ImageContent,
    InputRequest,
    InputRequiredResult,
    ListRootsRequest,
    ListRootsResult,
    SamplingMessage,
    SetLevelRequestParams,
    SubscribeRequestParams,
    TextContent,
    TextResourceContents,
    UnsubscribeRequestParams,
)
from pydantic import BaseModel, ConfigDict, Field

from mcp_gateway.registry import ToolSpec

# A 1x1 PNG and a tiny WAV: the suite checks the content types, not the pictures.
PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5E"
    "rkJggg=="
)
WAV = "UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA="
NAME_SCHEMA = {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}
CONFIRM_SCHEMA = {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]}


# The json-schema-2020-12 scenario's exact input schema (SEP-1613, SEP-2106).
SCHEMA_2020_12: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "$defs": {
        "address": {
            "$anchor": "addressDef",
            "type": "object",
            "properties": {"street": {"type": "string"}, "city": {"type": "string"}},
        }
    },
    "properties": {
        "name": {"type": "string"},
        "address": {"$ref": "#/$defs/address"},
        "contactMethod": {"type": "string", "enum": ["phone", "email"]},
        "phone": {"type": "string"},
        "email": {"type": "string"},
    },
    "allOf": [{"anyOf": [{"required": ["phone"]}, {"required": ["email"]}]}],
    "if": {"properties": {"contactMethod": {"const": "phone"}}, "required": ["contactMethod"]},
    "then": {"required": ["phone"]},
    "else": {"required": ["email"]},
    "additionalProperties": False,
}


class Schema2020Input(BaseModel):
    """Publishes SCHEMA_2020_12 verbatim as its JSON schema."""

    model_config = ConfigDict(extra="allow")

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return SCHEMA_2020_12


class Echo(BaseModel):
    received: dict[str, Any]


async def echo_arguments(
    *, person: Any, arguments: Schema2020Input, request_ids: list[str]
) -> Echo:
    return Echo(received=arguments.model_dump())


# Declared like any gateway tool, so the suite also checks how the registry publishes schemas.
SCHEMA_2020_12_TOOL = ToolSpec(
    name="json_schema_2020_12_tool",
    description="Tool with JSON Schema 2020-12 features",
    scope=None,
    input_model=Schema2020Input,
    output_model=Echo,
    handler=echo_arguments,
    render=lambda echo: json.dumps(echo.received),
    read_only=True,
    destructive=False,
    idempotent=True,
    open_world=False,
)


def fixtures_add(server: MCPServer) -> None:
    """Register every fixture on ``server`` (its tools list comes from ``declared_tools``)."""
    _content_tools(server)
    _interactive_tools(server)
    _input_required_tools(server)
    _diagnostic_tools(server)
    _resources(server)
    _prompts(server)
    _protocol_handlers(server)


def _text(text: str) -> TextContent:
    return TextContent(type="text", text=text)


def _ask(message: str, schema: dict[str, Any]) -> ElicitRequest:
    return ElicitRequest(params=ElicitRequestFormParams(message=message, requested_schema=schema))


def _sample(prompt: str, max_tokens: int) -> CreateMessageRequest:
    message = SamplingMessage(role="user", content=_text(prompt))
    return CreateMessageRequest(
        params=CreateMessageRequestParams(messages=[message], max_tokens=max_tokens)
    )


def _content_tools(server: MCPServer) -> None:
    @server.tool(description="Tests simple text content response")
    def test_simple_text() -> str:
        return "This is a simple text response for testing."

    @server.tool(description="Tests image content response")
    def test_image_content() -> list[ImageContent]:
        return [ImageContent(type="image", data=PNG, mime_type="image/png")]

    @server.tool(description="Tests audio content response")
    def test_audio_content() -> list[AudioContent]:
        return [AudioContent(type="audio", data=WAV, mime_type="audio/wav")]

    @server.tool(description="Tests embedded resource content response")
    def test_embedded_resource() -> list[EmbeddedResource]:
        return [_embedded("test://embedded-resource", "This is an embedded resource content.")]

    @server.tool(description="Tests response with multiple content types (text, image, resource)")
    def test_multiple_content_types() -> list[TextContent | ImageContent | EmbeddedResource]:
        return [
            _text("Multiple content types test:"),
            ImageContent(type="image", data=PNG, mime_type="image/png"),
            _embedded("test://mixed-content-resource", '{"test": "data", "value": 123}', "json"),
        ]

    @server.tool(description="Tests error response handling")
    def test_error_handling() -> str:
        raise RuntimeError("This tool intentionally returns an error for testing")


def _embedded(uri: str, text: str, kind: str = "plain") -> EmbeddedResource:
    mime = "application/json" if kind == "json" else "text/plain"
    return EmbeddedResource(
        type="resource", resource=TextResourceContents(uri=uri, mime_type=mime, text=text)
    )


class UserResponse(BaseModel):
    response: str = Field(description="User's response")


class Sep1034Defaults(BaseModel):
    name: str = Field(default="John Doe", description="User name")
    age: int = Field(default=30, description="User age")
    score: float = Field(default=95.5, description="User score")
    status: str = Field(
        default="active",
        description="User status",
        json_schema_extra={"enum": ["active", "inactive", "pending"]},
    )
    verified: bool = Field(default=True, description="Verification status")


class Sep1330Enums(BaseModel):
    untitledSingle: str = Field(
        description="Simple enum without titles",
        json_schema_extra={"enum": ["active", "inactive", "pending"]},
    )
    titledSingle: str = Field(
        description="Enum with titled options (oneOf)",
        json_schema_extra={
            "oneOf": [
                {"const": "low", "title": "Low Priority"},
                {"const": "medium", "title": "Medium Priority"},
                {"const": "high", "title": "High Priority"},
            ]
        },
    )
    untitledMulti: list[str] = Field(
        description="Multi-select without titles",
        json_schema_extra={"items": {"type": "string", "enum": ["read", "write", "execute"]}},
    )
    titledMulti: list[str] = Field(
        description="Multi-select with titled options",
        json_schema_extra={
            "items": {
                "anyOf": [
                    {"const": "feature", "title": "New Feature"},
                    {"const": "bug", "title": "Bug Fix"},
                    {"const": "docs", "title": "Documentation"},
                ]
            }
        },
    )
    legacyEnum: str = Field(
        description="Legacy enum with enumNames",
        json_schema_extra={
            "enum": ["small", "medium", "large"],
            "enumNames": ["Small Size", "Medium Size", "Large Size"],
        },
    )


def _interactive_tools(server: MCPServer) -> None:
    @server.tool(description="Tests tool that emits log messages during execution")
    async def test_tool_with_logging(ctx: Context) -> str:
        for message in ("Tool execution started", "Tool processing data"):
            await ctx.info(message)
            await asyncio.sleep(0.05)
        await ctx.info("Tool execution completed")
        return "Tool with logging executed successfully"

    @server.tool(description="Tests tool that reports progress notifications")
    async def test_tool_with_progress(ctx: Context) -> str:
        for step in (0, 50, 100):
            await ctx.report_progress(step, 100, f"Completed step {step} of 100")
            await asyncio.sleep(0.05)
        return str((ctx.request_context.meta or {}).get("progress_token", 0))

    @server.tool(description="Tests server-initiated sampling (LLM completion request)")
    async def test_sampling(prompt: str, ctx: Context) -> str:
        message = SamplingMessage(role="user", content=_text(prompt))
        # Tied to this call, the request travels on the call's own SSE stream; without it the
        # SDK sends it on the standalone GET stream, which the client may not have opened yet.
        result = await ctx.session.create_message(
            messages=[message], max_tokens=100, related_request_id=ctx.request_id
        )
        content = result.content
        return f"LLM response: {content.text if content.type == 'text' else 'No response'}"

    @server.tool(description="Tests server-initiated elicitation (user input request)")
    async def test_elicitation(message: str, ctx: Context) -> str:
        result = await ctx.elicit(message=message, schema=UserResponse)
        content = result.data.model_dump_json() if result.action == "accept" else "{}"
        return f"User response: action={result.action}, content={content}"

    @server.tool(description="Tests elicitation with defaults for all primitive types (SEP-1034)")
    async def test_elicitation_sep1034_defaults(ctx: Context) -> str:
        result = await ctx.elicit("Please provide user information", schema=Sep1034Defaults)
        content = result.data.model_dump_json() if result.action == "accept" else "{}"
        return f"Elicitation result: action={result.action}, content={content}"

    @server.tool(description="Tests elicitation with enum schema variations (SEP-1330)")
    async def test_elicitation_sep1330_enums(ctx: Context) -> str:
        message = "Please select values using different enum schema types"
        result = await ctx.elicit(message, schema=Sep1330Enums)
        content = result.data.model_dump_json() if result.action == "accept" else "{}"
        return f"Elicitation completed: action={result.action}, content={content}"

    @server.tool(description="Tests SSE polling by closing the stream mid-call (SEP-1699)")
    async def test_reconnection(ctx: Context) -> str:
        await ctx.info("Before disconnect")
        await ctx.close_sse_stream()
        await asyncio.sleep(0.2)
        await ctx.info("After reconnect")
        return "Reconnection test completed"


def _input_required_tools(server: MCPServer) -> None:
    @server.tool(description="Asks for a name with input_required, then greets")
    async def test_input_required_result_elicitation(ctx: Context) -> str | InputRequiredResult:
        answer = (ctx.input_responses or {}).get("user_name")
        if isinstance(answer, ElicitResult) and answer.content:
            return f"Hello, {answer.content.get('name', 'stranger')}!"
        return InputRequiredResult(input_requests={"user_name": _ask("Your name?", NAME_SCHEMA)})

    @server.tool(description="Asks the client's model one question with input_required")
    async def test_input_required_result_sampling(ctx: Context) -> str | InputRequiredResult:
        answer = (ctx.input_responses or {}).get("capital_question")
        if isinstance(answer, CreateMessageResult):
            text = answer.content.text if answer.content.type == "text" else "?"
            return f"Model said: {text}"
        question = _sample("What is the capital of France?", 100)
        return InputRequiredResult(input_requests={"capital_question": question})

    @server.tool(description="Asks for the client's roots with input_required")
    async def test_input_required_result_list_roots(ctx: Context) -> str | InputRequiredResult:
        answer = (ctx.input_responses or {}).get("client_roots")
        if isinstance(answer, ListRootsResult):
            return f"Client exposed {len(answer.roots)} root(s)."
        return InputRequiredResult(input_requests={"client_roots": ListRootsRequest()})

    @server.tool(description="Round-trips an opaque requestState")
    async def test_input_required_result_request_state(
        ctx: Context,
    ) -> str | InputRequiredResult:
        if "confirm" in (ctx.input_responses or {}) and ctx.request_state == "state-nonce":
            return "state-ok: the echoed request state verified."
        confirm = _ask("Please confirm", CONFIRM_SCHEMA)
        return InputRequiredResult(input_requests={"confirm": confirm}, request_state="state-nonce")

    @server.tool(description="Asks for elicitation, sampling and roots in one round")
    async def test_input_required_result_multiple_inputs(
        ctx: Context,
    ) -> str | InputRequiredResult:
        if {"user_name", "greeting", "client_roots"} <= (ctx.input_responses or {}).keys():
            return "Every input answered; the call is complete."
        requests: dict[str, InputRequest] = {
            "user_name": _ask("Your name?", NAME_SCHEMA),
            "greeting": _sample("Generate a greeting", 50),
            "client_roots": ListRootsRequest(),
        }
        return InputRequiredResult(input_requests=requests, request_state="multiple-inputs")

    @server.tool(description="Runs two input rounds whose requestState evolves")
    async def test_input_required_result_multi_round(ctx: Context) -> str | InputRequiredResult:
        return _multi_round(ctx.request_state, ctx.input_responses or {})

    @server.tool(description="Round-trips sealed state; tampered state is rejected by the SDK")
    async def test_input_required_result_tampered_state(
        ctx: Context,
    ) -> str | InputRequiredResult:
        if ctx.request_state is None:
            confirm = _ask("Please confirm", CONFIRM_SCHEMA)
            return InputRequiredResult(input_requests={"confirm": confirm}, request_state="round-1")
        return "Request state verified; the call is complete."

    @server.tool(description="Asks only for inputs the client declared capabilities for")
    async def test_input_required_result_capabilities(ctx: Context) -> str | InputRequiredResult:
        if ctx.input_responses:
            return "Declared-capability input answered."
        caps = ctx.client_capabilities
        requests: dict[str, InputRequest] = {}
        if caps is None or caps.sampling is not None:
            requests["sample"] = _sample("Say hello", 50)
        if caps is None or caps.elicitation is not None:
            requests["ask"] = _ask("Your name?", NAME_SCHEMA)
        return InputRequiredResult(input_requests=requests, request_state="capability-gated")

    @server.tool(description="Needs the client's sampling capability")
    async def test_missing_capability(ctx: Context) -> str:
        caps = ctx.client_capabilities
        if caps is None or caps.sampling is None:
            raise MCPError(
                code=MISSING_REQUIRED_CLIENT_CAPABILITY,
                message="This tool requires the client 'sampling' capability",
                data={"requiredCapabilities": {"sampling": {}}},
            )
        return "This tool ran with the sampling capability the round needs."


def _multi_round(state_text: str | None, responses: dict[str, Any]) -> str | InputRequiredResult:
    state = json.loads(state_text) if state_text else {"round": 0}
    step1, step2 = responses.get("step1"), responses.get("step2")
    if state["round"] == 1 and isinstance(step1, ElicitResult) and step1.content:
        schema = {"type": "object", "properties": {"color": {"type": "string"}}}
        return InputRequiredResult(
            input_requests={"step2": _ask("Step 2: your favourite colour?", schema)},
            request_state=json.dumps({"round": 2, "name": step1.content.get("name")}),
        )
    if state["round"] == 2 and isinstance(step2, ElicitResult) and step2.content:
        name, color = state.get("name"), step2.content.get("color")
        return f"Both rounds answered; the call is complete: {name} likes {color}."
    return InputRequiredResult(
        input_requests={"step1": _ask("Step 1: your name?", NAME_SCHEMA)},
        request_state=json.dumps({"round": 1}),
    )


def _diagnostic_tools(server: MCPServer) -> None:
    @server.tool(description="Needs elicitation; on 2026-07-28 it must use input_required")
    async def test_streaming_elicitation(ctx: Context) -> str | InputRequiredResult:
        if ctx.input_responses:
            return "Elicitation answered."
        return InputRequiredResult(input_requests={"ask": _ask("Your name?", NAME_SCHEMA)})

    @server.tool(description="Logs a message (delivered only when the request opts in)")
    async def test_logging_tool(ctx: Context) -> str:
        await ctx.info("test_logging_tool ran")
        return "Logged."

    @server.tool(description="Announces that the tool list changed")
    async def test_trigger_tool_change(ctx: Context) -> str:
        await ctx.notify_tools_changed()
        return "Tool list change announced."

    @server.tool(description="Announces that the prompt list changed")
    async def test_trigger_prompt_change(ctx: Context) -> str:
        await ctx.notify_prompts_changed()
        return "Prompt list change announced."

    @server.tool(description="Mirrors parameters into Mcp-Param headers (SEP-2243)")
    def test_custom_headers(
        region: str = Field(json_schema_extra={"x-mcp-header": "Region"}),
        priority: int = Field(default=0, json_schema_extra={"x-mcp-header": "Priority"}),
        query: str = "",
    ) -> str:
        return f"region={region} priority={priority} query={query}"


def _resources(server: MCPServer) -> None:
    @server.resource("test://static-text", description="A static text resource for testing")
    def static_text_resource() -> str:
        return "This is the content of the static text resource."

    @server.resource("test://static-binary", description="A static binary resource (image)")
    def static_binary_resource() -> bytes:
        return base64.b64decode(PNG)

    @server.resource("test://template/{id}/data", description="A templated resource")
    def template_resource(id: str) -> str:
        return json.dumps({"id": id, "templateTest": True, "data": f"Data for ID: {id}"})

    @server.resource("test://watched-resource", description="A resource one can subscribe to")
    def watched_resource() -> str:
        return "Watched resource content"


def _prompts(server: MCPServer) -> None:
    @server.prompt(description="A simple prompt without arguments")
    def test_simple_prompt() -> list[UserMessage]:
        return [UserMessage(content=_text("This is a simple prompt for testing."))]

    @server.prompt(description="A prompt with required arguments")
    def test_prompt_with_arguments(arg1: str, arg2: str) -> list[UserMessage]:
        text = f"Prompt with arguments: arg1='{arg1}', arg2='{arg2}'"
        return [UserMessage(content=_text(text))]

    @server.prompt(description="A prompt that includes an embedded resource")
    def test_prompt_with_embedded_resource(resourceUri: str) -> list[UserMessage]:
        embedded = _embedded(resourceUri, "Embedded resource content for testing.")
        return [
            UserMessage(content=embedded),
            UserMessage(content=_text("Please process the embedded resource above.")),
        ]

    @server.prompt(description="A prompt that includes image content")
    def test_prompt_with_image() -> list[UserMessage]:
        return [
            UserMessage(content=ImageContent(type="image", data=PNG, mime_type="image/png")),
            UserMessage(content=_text("Please analyze the image above.")),
        ]

    @server.prompt(description="Asks for context with input_required (a non-tool request)")
    async def test_input_required_result_prompt(
        ctx: Context,
    ) -> list[UserMessage] | InputRequiredResult:
        answer = (ctx.input_responses or {}).get("user_context")
        if isinstance(answer, ElicitResult) and answer.content:
            text = f"Use the following context: {answer.content.get('context', '?')}"
            return [UserMessage(content=_text(text))]
        schema = {"type": "object", "properties": {"context": {"type": "string"}}}
        ask = _ask("What context should the prompt use?", schema)
        return InputRequiredResult(input_requests={"user_context": ask})


def _protocol_handlers(server: MCPServer) -> None:
    async def complete(ctx: Any, params: CompleteRequestParams) -> CompleteResult:
        return CompleteResult(completion=Completion(values=[], total=0, has_more=False))

    async def acknowledge(ctx: Any, params: Any) -> EmptyResult:
        return EmptyResult()

    # MCPServer has no public hook for these legacy methods; the SDK's own everything-server
    # registers them on the low-level server the same way (its completion() decorator is untyped).
    lowlevel = server._lowlevel_server
    lowlevel.add_request_handler("completion/complete", CompleteRequestParams, complete)
    lowlevel.add_request_handler("logging/setLevel", SetLevelRequestParams, acknowledge)
    lowlevel.add_request_handler("resources/subscribe", SubscribeRequestParams, acknowledge)
    lowlevel.add_request_handler("resources/unsubscribe", UnsubscribeRequestParams, acknowledge)

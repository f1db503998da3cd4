"""Running one declared tool: scope, argument validation, the handler, the audit record.

Every outcome becomes a ``CallToolResult``: tool failures are ``isError`` results whose text
tells the model what to do next (MCP tools, "Error Handling"); protocol errors stay the SDK's.
"""

from __future__ import annotations

import base64
import logging
import time
from typing import Any

from mcp.types import BlobResourceContents, CallToolResult, EmbeddedResource, TextContent
from pydantic import BaseModel, ValidationError

from mcp_gateway.caller import Caller, current_caller
from mcp_gateway.confirmation import Consent, question_text
from mcp_gateway.models import ToolCall
from mcp_gateway.registry import FileLike, ToolDeclaration
from mcp_gateway.services import tool_call_record

logger = logging.getLogger(__name__)
Outcome = ToolCall.Outcome

NOT_SIGNED_IN = "No person is signed in on this connection. Connect the assistant with OAuth first."
CRASHED = (
    "The tool failed unexpectedly. Try again in a moment; if it keeps failing, tell the person "
    "so that they can report it to their administrator."
)


async def tool_invoke(
    declaration: ToolDeclaration, arguments: dict[str, Any], *, consent: Consent = "not_needed"
) -> CallToolResult:
    caller = current_caller()
    if caller is None:
        return error_result(NOT_SIGNED_IN)
    started = time.monotonic()
    request_ids: list[str] = []
    outcome, result = await _outcome(declaration, caller, arguments, request_ids, consent)
    tool_call_record(
        caller=caller,
        tool=declaration.name,
        outcome=outcome,
        duration_ms=round((time.monotonic() - started) * 1000),
        upstream_request_ids=request_ids,
    )
    return result


async def _outcome(
    declaration: ToolDeclaration,
    caller: Caller,
    raw: dict[str, Any],
    request_ids: list[str],
    consent: Consent,
) -> tuple[Outcome, CallToolResult]:
    if declaration.scope is not None and declaration.scope not in caller.scopes:
        # The HTTP gate answers 403 before this; this covers any path around it.
        return Outcome.DENIED, error_result(missing_scope_text(declaration.scope))
    try:
        arguments = declaration.input_model.model_validate(raw)
    except ValidationError as exc:
        return Outcome.INVALID_ARGUMENTS, error_result(invalid_arguments_text(declaration, exc))
    refusal = await unconfirmed_text(declaration, caller, arguments, consent)
    if refusal is not None:
        return Outcome.DENIED, error_result(refusal)
    try:
        output = await declaration.handler(
            person=caller.person, arguments=arguments, request_ids=request_ids
        )
        result = success_result(declaration, output)
    except Exception as exc:
        message = getattr(exc, "tool_message", None)
        if isinstance(message, str):
            return Outcome.TOOL_ERROR, error_result(message)
        logger.exception("MCP tool %s crashed", declaration.name)
        return Outcome.CRASHED, error_result(CRASHED)
    return Outcome.OK, result


def success_result(declaration: ToolDeclaration, output: BaseModel) -> CallToolResult:
    if not isinstance(output, declaration.output_model):
        raise TypeError(f"{declaration.name} returned {type(output).__name__}")
    files = declaration.files(output) if declaration.files is not None else ()
    return CallToolResult(
        content=[
            TextContent(type="text", text=declaration.render(output)),
            *(embedded_file(file) for file in files),
        ],
        structured_content=output.model_dump(mode="json", by_alias=True),
    )


def embedded_file(file: FileLike) -> EmbeddedResource:
    """A file as MCP content: an embedded resource, readable again with ``resources/read``."""
    blob = base64.b64encode(file.data).decode("ascii")
    contents = BlobResourceContents(uri=file.uri, mime_type=file.mime_type, blob=blob)
    return EmbeddedResource(type="resource", resource=contents)


async def unconfirmed_text(
    declaration: ToolDeclaration, caller: Caller, arguments: BaseModel, consent: Consent
) -> str | None:
    """Why a tool that needs the person's confirmation may not run, or None if it may."""
    question = declaration.confirmation_question
    if question is None or consent == "confirmed":
        return None
    if consent == "declined":
        return "The person did not confirm, so nothing was done. Do not retry unless they ask."
    if getattr(arguments, "confirm", False) is True:
        return None
    text = await question_text(question, person=caller.person, arguments=arguments)
    return (
        f"This needs the person's confirmation: {text} Ask them "
        "in plain words; only if they agree, call the tool again with the same arguments and "
        "confirm: true."
    )


def error_result(text: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=text)], is_error=True)


def missing_scope_text(scope: str) -> str:
    return (
        f"This connection was not granted the {scope} permission this tool needs. Ask the "
        "person to reconnect the assistant and approve it, then call the tool again."
    )


def invalid_arguments_text(declaration: ToolDeclaration, exc: ValidationError) -> str:
    # Field locations and messages only: never echo the values, which may be secret.
    problems = [
        f"{'.'.join(str(part) for part in error['loc']) or '(arguments)'}: {error['msg']}"
        for error in exc.errors(include_url=False, include_input=False)
    ]
    return (
        f"Invalid arguments for {declaration.name}: {'; '.join(problems)}. "
        "Correct them to match the tool's input schema and call it again."
    )

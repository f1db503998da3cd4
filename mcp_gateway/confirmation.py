"""Destructive tools ask the person, not the model, before anything happens.

Through MCP elicitation where the client supports it (MCP client features, "Elicitation"):
the SDK's resolver machinery asks the question on either protocol era (a server-to-client
``elicitation/create`` in a 2025 session, an ``input_required`` result that the client
answers and retries in 2026-07-28). A client without elicitation gets an ``isError`` result
asking the model to confirm with the person and call again with ``confirm: true``.

When elicitation is available the question is always asked, whatever ``confirm`` says: the
model cannot confirm on the person's behalf.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Literal

from mcp.server.elicitation import AcceptedElicitation, ElicitationResult
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.resolve import Elicit, Resolve
from mcp.types import CallToolResult
from mcp_types.version import is_version_at_least
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mcp_gateway.caller import current_caller

if TYPE_CHECKING:
    from mcp_gateway.registry import Invoke, Question, ToolDeclaration

Consent = Literal["not_needed", "confirmed", "declined", "not_asked"]
NOT_ASKED = "not_asked"
GENERIC_QUESTION = "Go ahead with this action?"
INPUT_REQUIRED_VERSION = "2026-07-28"  # elicitation rides input_required from this revision


class Confirmation(BaseModel):
    model_config = ConfigDict(title="Confirm")
    confirm: bool = Field(title="Go ahead", description="Yes, do exactly this.")


def confirmed_run(
    declaration: ToolDeclaration, invoke: Invoke
) -> tuple[Callable[..., Any], dict[str, tuple[Resolve, bool]]]:
    """The SDK tool function for a tool that needs confirmation, and its resolved parameter."""

    async def ask(arguments: dict[str, Any], ctx: Context) -> Elicit[Confirmation] | str:
        question, caller = declaration.confirmation_question, current_caller()
        if question is None or caller is None or not elicitation_available(ctx):
            return NOT_ASKED
        try:
            parsed = declaration.input_model.model_validate(arguments)
        except ValidationError:
            return NOT_ASKED  # the call reports the bad arguments without asking anything
        text = await question_text(question, person=caller.person, arguments=parsed)
        return Elicit(text, Confirmation)

    resolve = Resolve(ask)

    async def run(
        arguments: dict[str, Any],
        answer: Annotated[ElicitationResult[Confirmation], resolve],
    ) -> CallToolResult:
        return await invoke(declaration, arguments, consent=consent_from(answer))

    return run, {"answer": (resolve, True)}


async def question_text(question: Question, *, person: Any, arguments: Any) -> str:
    """The question, or a plain one when looking the item up failed: the call itself then
    reports that failure, after the person declined or agreed to the plain question."""
    try:
        return await question(person=person, arguments=arguments)
    except Exception as exc:
        if not isinstance(getattr(exc, "tool_message", None), str):
            raise
        return GENERIC_QUESTION


def elicitation_available(ctx: Context) -> bool:
    capabilities = ctx.client_capabilities
    elicitation = capabilities.elicitation if capabilities is not None else None
    if elicitation is None or (elicitation.form is None and elicitation.url is not None):
        return False  # url-only clients cannot answer a form
    version = ctx.protocol_version
    if version is not None and is_version_at_least(version, INPUT_REQUIRED_VERSION):
        return True
    return bool(ctx.request_context.session.can_send_request)


def consent_from(answer: ElicitationResult[Confirmation]) -> Consent:
    if not isinstance(answer, AcceptedElicitation):
        return "declined"
    data: object = answer.data
    if data == NOT_ASKED:
        return "not_asked"
    confirmed = isinstance(data, Confirmation) and data.confirm
    return "confirmed" if confirmed else "declined"

"""graph_tools' resources, registered with the SDK and read as the calling person.

Each read checks the caller and the resource's scope (``resources/read`` has no HTTP
step-up, so a missing scope is a resource error naming the permission), then runs the
resource's synchronous Graph code on a worker thread.
"""

from __future__ import annotations

import inspect
from typing import Any

from mcp.server import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError
from mcp.server.mcpserver.resources import ResourceSecurity
from mcp.shared.uri_template import UriTemplate

from graph_tools.client import GraphClient
from graph_tools.tooling import Resource, on_graph_thread
from mcp_gateway.caller import current_caller
from mcp_gateway.execution import NOT_SIGNED_IN, missing_scope_text


def resources_register(server: MCPServer, resources: tuple[Resource, ...]) -> None:
    for resource in resources:
        names = UriTemplate.parse(resource.uri).variable_names
        server.resource(
            resource.uri,
            name=resource.name,
            description=resource.description,
            mime_type=resource.mime_type,
            # Ids are validated by each resource; Outlook ids may contain "/" legitimately.
            security=ResourceSecurity(exempt_params=frozenset(names)) if names else None,
        )(_reader(resource, tuple(names)))


def _reader(resource: Resource, names: tuple[str, ...]) -> Any:
    async def read(**params: str) -> str | bytes:
        caller = current_caller()
        if caller is None:
            raise ResourceError(NOT_SIGNED_IN)
        if resource.scope is not None and resource.scope not in caller.scopes:
            raise ResourceError(missing_scope_text(resource.scope))

        def work() -> str | bytes:
            graph = GraphClient(user=caller.person, request_ids=[], scope=resource.scope)
            return resource.read(graph, params)

        try:
            return await on_graph_thread(work)
        except Exception as exc:
            message = getattr(exc, "tool_message", None)
            if isinstance(message, str):
                raise ResourceError(message) from exc
            raise

    # The SDK matches a template's variables to the function's parameters by signature.
    parameters = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=str) for name in names
    ]
    read.__signature__ = inspect.Signature(parameters, return_annotation=str | bytes)  # type: ignore[attr-defined]
    read.__annotations__ = {**{name: str for name in names}, "return": str | bytes}
    return read

"""Microsoft Graph v1.0: bearer validation, permission checks, a route table, Graph's envelope.

To add an endpoint, write a handler ``(call: GraphCall) -> GraphReply`` and list it with
``graph_route(method, "/me/messages/{id}", any_of=..., family=..., handler=...)`` in a
module's ``ROUTES`` tuple, then add that tuple to ``GRAPH_ROUTES`` in tests/fakes/microsoft.py.
A handler sees only ``call.data``, the caller's own collections, so one person can never
read another's mailbox through the fake.

Shapes: wire shapes §2 (headers, OData annotations) and §3.1 (errors).
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

from tests.fakes.people import CAST, Person
from tests.fakes.scopes import GRAPH_APP_ID
from tests.fakes.server import Request, Response, json_response, parse_pairs, path_pattern
from tests.fakes.state import AccessGrant, Collections, FakeState, GraphRecord

GRAPH_JSON_TYPE = (
    "application/json;odata.metadata=minimal;odata.streaming=true;"
    "IEEE754Compatible=false;charset=utf-8"
)
MAX_CLIENT_REQUEST_ID = 100
# Which error a missing permission gets depends on the service behind the API (§2A, §3.1).
Family = Literal["directory", "outlook", "teams"]


class GraphError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: dict[str, str] | None = None,
        inner: bool = True,  # some Exchange errors come without innerError (§3.1)
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.inner = inner


@dataclass
class GraphReply:
    status: int = 200
    body: Any = None  # None: an empty body (202, 204)
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class GraphCall:
    request: Request
    params: dict[str, str]  # route parameters, percent-decoded
    person: Person
    permissions: frozenset[str]  # the token's delegated permissions
    data: Collections  # this person's Graph data, and nobody else's
    base_url: str  # "{fake}/v1.0", for @odata.context and @odata.nextLink


GraphHandler = Callable[[GraphCall], GraphReply]


@dataclass(frozen=True)
class GraphRoute:
    method: str
    pattern: re.Pattern[str]
    any_of: frozenset[str]  # delegated permissions; any one of them suffices
    family: Family
    handler: GraphHandler
    # False for a pre-authenticated URL (an upload session's): no bearer token is sent; its
    # {person} segment (an object id) names whose data the handler sees, and the handler
    # checks the URL's own credential.
    bearer: bool = True


def graph_route(
    method: str,
    template: str,
    *,
    any_of: Iterable[str],
    family: Family,
    handler: GraphHandler,
    bearer: bool = True,
) -> GraphRoute:
    return GraphRoute(method, path_pattern(template), frozenset(any_of), family, handler, bearer)


def selected(call: GraphCall) -> list[str] | None:
    """The properties ``$select`` names, or None without ``$select`` (G-QP)."""
    raw = call.request.query.get("$select")
    if raw is None:
        return None
    names = [name.strip() for name in raw.split(",") if name.strip()]
    if len(names) > 100:
        raise GraphError(400, "BadRequest", "The $select query option is too long.")
    return names


def graph_serve(
    state: FakeState, request: Request, rest: str, routes: tuple[GraphRoute, ...]
) -> Response:
    request_id = str(uuid.uuid4())
    client_request_id = _client_request_id(request) or request_id
    # Match on the still-encoded path: Outlook ids contain %2F, which is not a separator.
    path = request.path.removeprefix("/v1.0") if request.path.startswith("/v1.0/") else f"/{rest}"
    person: Person | None = None
    with state.lock:
        try:
            grant = _url_grant(request, path, routes) or _authenticate(state, request)
            person = grant.person
            reply = _dispatch(state, request, path, grant, routes)
        except GraphError as error:
            reply = _error_reply(error, request_id, client_request_id)
        state.graph_records.append(
            GraphRecord(
                request.method, path, person.key if person else None, reply.status, time.time()
            )
        )
    return _response(reply, request_id, client_request_id)


def _dispatch(
    state: FakeState,
    request: Request,
    path: str,
    grant: AccessGrant,
    routes: tuple[GraphRoute, ...],
) -> GraphReply:
    if request.repeated:
        name = sorted(request.repeated)[0][:50]
        raise GraphError(
            400,
            "BadRequest",
            f"Query option '{name}' was specified more than once, but it must be specified at "
            "most once.",
        )
    if (request.method, path) == ("POST", "/$batch"):
        return _batch(state, request, grant, routes)
    route, params = _route(routes, request.method, path)
    if route.bearer and not route.any_of & grant.permissions:
        raise _forbidden(route, grant)
    failure = state.graph_failure_take(path)
    if failure is not None:
        raise GraphError(failure.status, failure.code, failure.message, headers=failure.headers)
    call = GraphCall(
        request=request,
        params=params,
        person=grant.person,
        permissions=grant.permissions,
        data=state.graph_data[grant.person.key],
        base_url=f"{state.url}/v1.0",
    )
    return route.handler(call)


MAX_BATCH_REQUESTS = 20


def _batch(
    state: FakeState, request: Request, grant: AccessGrant, routes: tuple[GraphRoute, ...]
) -> GraphReply:
    """JSON batching (wire shapes §3.3): each inner request is dispatched like an outer one."""
    try:
        inner = json.loads(request.body)["requests"]
    except (ValueError, KeyError, TypeError):
        raise GraphError(400, "BadRequest", "Invalid batch payload.") from None
    if not isinstance(inner, list) or not 0 < len(inner) <= MAX_BATCH_REQUESTS:
        raise GraphError(400, "BadRequest", "Number of batch request steps exceeds the maximum.")
    return GraphReply(
        200, {"responses": [_batch_one(state, item, grant, routes) for item in inner]}
    )


def _batch_one(
    state: FakeState, item: Any, grant: AccessGrant, routes: tuple[GraphRoute, ...]
) -> dict[str, Any]:
    if not isinstance(item, dict) or not isinstance(item.get("url"), str):
        raise GraphError(400, "BadRequest", "Invalid batch payload.")
    url = urlsplit("/" + item["url"].lstrip("/"))
    query, repeated = parse_pairs(url.query)
    headers = {str(k).lower(): str(v) for k, v in (item.get("headers") or {}).items()}
    body = json.dumps(item["body"]).encode() if "body" in item else b""
    inner = Request(
        str(item.get("method", "GET")).upper(), url.path, query, repeated, headers, body
    )
    try:
        reply = _dispatch(state, inner, url.path, grant, routes)
    except GraphError as error:
        reply = _error_reply(error, str(uuid.uuid4()), str(uuid.uuid4()))
    return {
        "id": item.get("id"),
        "status": reply.status,
        "headers": reply.headers,
        "body": reply.body,
    }


def _authenticate(state: FakeState, request: Request) -> AccessGrant:
    scheme, _, token = request.header("authorization").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise _unauthorized(state, "Access token is empty.")
    grant = state.access_tokens.get(token)
    if grant is None:
        # Wordings from real responses (wire shapes §3.1).
        jwt_shaped = token.count(".") == 2
        raise _unauthorized(
            state,
            "Access token validation failure."
            if jwt_shaped
            else "CompactToken validation failed with reason code: 80049228.",
        )
    if time.time() >= grant.expires_at:
        raise _unauthorized(state, "Access token has expired or is not yet valid.")
    return grant


def _url_grant(request: Request, path: str, routes: tuple[GraphRoute, ...]) -> AccessGrant | None:
    """Whose data a route without a bearer token serves: the person its URL names."""
    for candidate in routes:
        found = candidate.pattern.fullmatch(path)
        if found is None or candidate.bearer or candidate.method != request.method:
            continue
        oid = unquote(found["person"])
        person = next((p for p in CAST.values() if p.oid == oid), None)
        if person is None:
            raise GraphError(404, "ErrorItemNotFound", "The specified object was not found.")
        return AccessGrant(person, frozenset(), float("inf"))
    return None


def _unauthorized(state: FakeState, message: str) -> GraphError:
    challenge = (
        f'Bearer realm="", authorization_uri="{state.url}/common/oauth2/authorize", '
        f'client_id="{GRAPH_APP_ID}"'
    )
    return GraphError(
        401, "InvalidAuthenticationToken", message, headers={"WWW-Authenticate": challenge}
    )


def _route(
    routes: tuple[GraphRoute, ...], method: str, path: str
) -> tuple[GraphRoute, dict[str, str]]:
    path_known = False
    for candidate in routes:
        found = candidate.pattern.fullmatch(path)
        if found is None:
            continue
        path_known = True
        if candidate.method == method:
            return candidate, {k: unquote(v) for k, v in found.groupdict().items()}
    if path_known:
        raise GraphError(
            405,
            "Request_BadRequest",
            "Specified HTTP method is not allowed for the request target.",
        )
    segment = next((part for part in path.split("/") if part), "")[:100]
    raise GraphError(400, "BadRequest", f"Resource not found for the segment '{segment}'.")


def _forbidden(route: GraphRoute, grant: AccessGrant) -> GraphError:
    if route.family == "outlook":
        return GraphError(
            403, "ErrorAccessDenied", "Access is denied. Check credentials and try again."
        )
    if route.family == "directory":
        return GraphError(
            403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."
        )
    # Teams' wording is unverified (wire shapes §2A, "Permission summary").
    return GraphError(
        403,
        "Forbidden",
        f"Missing scope permissions on the request. API requires one of "
        f"'{', '.join(sorted(route.any_of))}'. Scopes on the request "
        f"'{', '.join(sorted(grant.permissions))}'",
    )


def _error_reply(error: GraphError, request_id: str, client_request_id: str) -> GraphReply:
    body: dict[str, Any] = {"code": error.code, "message": error.message}
    if error.inner:
        body["innerError"] = {
            # ISO 8601 without a zone designator, as Graph writes it (§3.1).
            "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
            "request-id": request_id,
            "client-request-id": client_request_id,
        }
    return GraphReply(error.status, {"error": body}, error.headers)


def _client_request_id(request: Request) -> str:
    value = request.header("client-request-id").strip()
    if len(value) > MAX_CLIENT_REQUEST_ID or not re.fullmatch(r"[A-Za-z0-9\-_.]*", value):
        return ""
    return value


def _response(reply: GraphReply, request_id: str, client_request_id: str) -> Response:
    headers = {
        "request-id": request_id,
        "client-request-id": client_request_id,
        "x-ms-ags-diagnostic": (
            '{"ServerInfo":{"DataCenter":"Fake","Slice":"E","Ring":"5","ScaleUnit":"001",'
            '"RoleInstance":"FAKE0001"}}'
        ),
        "x-ms-resource-unit": "1",
        "OData-Version": "4.0",
        "Strict-Transport-Security": "max-age=31536000",
        "Cache-Control": "no-cache",
        **reply.headers,
    }
    if reply.body is None:
        return Response(reply.status, b"", headers)
    response = json_response(reply.status, reply.body, headers)
    response.headers["Content-Type"] = GRAPH_JSON_TYPE
    return response

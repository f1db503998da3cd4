"""A test-only control API under ``/_fake/``, for a fake running as a separate process.

In-process tests call ``FakeMicrosoft`` methods instead. Real Microsoft has no such paths.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from tests.fakes.aadsts import EntraError
from tests.fakes.entra_token import tokens_issue
from tests.fakes.people import CAST
from tests.fakes.scopes import OIDC_SCOPES, scope_parse
from tests.fakes.server import Request, Response, Route, json_response, route
from tests.fakes.state import FakeState


def control_routes(state: FakeState) -> list[Route]:
    def sign_in(request: Request, params: dict[str, str]) -> Response:
        body = _json(request)
        name = body.get("person")
        if name is not None and name not in CAST:
            return json_response(400, {"error": f"person must be null or one of {list(CAST)}"})
        with state.lock:
            state.signed_in = CAST[name] if name else None
        return json_response(200, {"signed_in": name})

    def redirect_uri(request: Request, params: dict[str, str]) -> Response:
        uri = _json(request).get("uri")
        if not isinstance(uri, str) or not uri.startswith(("http://", "https://")):
            return json_response(400, {"error": "uri must be an http(s) URL"})
        with state.lock:
            state.redirect_uris.add(uri)
        return json_response(200, {"registered": uri})

    def tokens(request: Request, params: dict[str, str]) -> Response:
        body = _json(request)
        if body.get("person") not in CAST or not isinstance(body.get("scope"), str):
            return json_response(400, {"error": "needs person (a cast key) and scope (text)"})
        try:
            person, scope = CAST[body["person"]], scope_parse(body["scope"])
        except EntraError as error:
            return json_response(400, {"error": str(error)})
        with state.lock:
            state.consents[person.key] |= scope.permissions
            issued = tokens_issue(state, person=person, oidc=frozenset(OIDC_SCOPES))
        return json_response(200, issued)

    def counters(request: Request, params: dict[str, str]) -> Response:
        with state.lock:
            token = Counter(r.grant_type for r in state.token_records if r.error is None)
            return json_response(
                200,
                {
                    "authorize": len(state.authorize_records),
                    "token": dict(token),
                    "graph": len(state.graph_records),
                },
            )

    return [
        route("POST", "/_fake/sign-in", sign_in),
        route("POST", "/_fake/redirect-uris", redirect_uri),
        route("POST", "/_fake/tokens", tokens),
        route("GET", "/_fake/counters", counters),
    ]


def _json(request: Request) -> dict[str, Any]:
    try:
        value = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}

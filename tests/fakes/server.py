"""A small threaded HTTP server on 127.0.0.1 with a route table; no framework, no dependency.

Each connection gets a thread (``ThreadingHTTPServer``), so concurrent clients are served at
once; handlers share state through the fake's lock. Inputs are bounded: request bodies above
``MAX_BODY_BYTES`` are refused with 413, chunked bodies with 411, repeated query parameters are
reported to the handler. Nothing secret is logged: the access log has no query strings.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

logger = logging.getLogger("tests.fakes.microsoft")

MAX_BODY_BYTES = 4 * 1024 * 1024  # Graph's own limit for a request body is 4 MB
MAX_PARAMETERS = 100
JSON_TYPE = "application/json; charset=utf-8"


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # still percent-encoded; route parameters are decoded
    query: Mapping[str, str]
    repeated: frozenset[str]  # names given more than once (RFC 6749 §3.1 forbids it)
    headers: Mapping[str, str]  # lower-cased names
    body: bytes

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    def form(self) -> tuple[dict[str, str], frozenset[str]]:
        """The urlencoded body and the names it repeats; empty when it is not a form."""
        content_type = self.header("content-type").split(";")[0].strip().lower()
        if content_type != "application/x-www-form-urlencoded":
            return {}, frozenset()
        return parse_pairs(self.body.decode("utf-8", errors="replace"))


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def parse_pairs(text: str) -> tuple[dict[str, str], frozenset[str]]:
    try:
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_PARAMETERS)
    except ValueError:
        return {}, frozenset({"(too many parameters)"})
    counts = Counter(name for name, _ in pairs)
    return dict(pairs), frozenset(name for name, count in counts.items() if count > 1)


def json_response(status: int, payload: Any, headers: Mapping[str, str] | None = None) -> Response:
    body = json.dumps(payload).encode()
    return Response(status, body, {"Content-Type": JSON_TYPE, **(headers or {})})


def html_response(status: int, title: str, text: str) -> Response:
    page = (
        f"<!doctype html><html><head><title>{escape(title)}</title></head>"
        f"<body><h1>{escape(title)}</h1><p>{escape(text)}</p></body></html>"
    )
    return Response(status, page.encode(), {"Content-Type": "text/html; charset=utf-8"})


def redirect_response(location: str) -> Response:
    return Response(302, b"", {"Location": location, "Cache-Control": "no-store"})


Handler = Callable[[Request, dict[str, str]], Response]
_PARAMETER = re.compile(r"\{(\w+)(\*?)\}")


@dataclass(frozen=True)
class Route:
    methods: frozenset[str] | None  # None: any method (the handler answers 405 itself)
    pattern: re.Pattern[str]
    handler: Handler


def path_pattern(template: str) -> re.Pattern[str]:
    """``"/{tenant}/discovery/v2.0/keys"`` as a regex; ``{rest*}`` spans segments."""
    parts, position = [], 0
    for found in _PARAMETER.finditer(template):
        parts.append(re.escape(template[position : found.start()]))
        parts.append(f"(?P<{found[1]}>{'.*' if found[2] else '[^/]+'})")
        position = found.end()
    parts.append(re.escape(template[position:]))
    return re.compile("".join(parts))


def route(methods: str | None, template: str, handler: Handler) -> Route:
    allowed = frozenset(methods.split()) if methods else None
    return Route(allowed, path_pattern(template), handler)


class Router:
    def __init__(self, routes: Iterable[Route]) -> None:
        self.routes = tuple(routes)

    def dispatch(self, request: Request) -> Response:
        matched = False
        for candidate in self.routes:
            found = candidate.pattern.fullmatch(request.path)
            if found is None:
                continue
            matched = True
            if candidate.methods is None or request.method in candidate.methods:
                params = {name: unquote(value) for name, value in found.groupdict().items()}
                return candidate.handler(request, params)
        if matched:
            return json_response(405, {"error": "method_not_allowed"})
        return json_response(404, {"error": "not_found", "path": request.path[:200]})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # a test opens 50 connections at once
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], router: Router) -> None:
        super().__init__(address, _RequestHandler)
        self.router = router


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as clients' connection pools expect
    timeout = 30  # idle keep-alive connections end instead of holding a thread forever
    # Headers and body go out in two writes: with Nagle's algorithm the body would wait for
    # the client's delayed ACK (40 ms on Linux), far slower than Graph answers.
    disable_nagle_algorithm = True
    server: _Server

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = do_GET

    def _serve(self) -> None:
        body = self._body()
        if body is None:
            return
        parts = urlsplit(self.path)
        query, repeated = parse_pairs(parts.query)
        request = Request(
            method=self.command,
            path=parts.path or "/",
            query=query,
            repeated=repeated,
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
        )
        try:
            response = self.server.router.dispatch(request)
        except Exception:
            logger.exception("fake Microsoft failed on %s %s", self.command, parts.path)
            response = json_response(500, {"error": "fake_failure"})
        self._send(response)

    def _body(self) -> bytes | None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self._refuse(411, "a Content-Length is required")
            return None
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY_BYTES:
            self._refuse(413, "the request body is too large")
            return None
        return self.rfile.read(length)

    def _refuse(self, status: int, message: str) -> None:
        self.close_connection = True  # the unread body must not be parsed as a request
        self._send(json_response(status, {"error": message}))

    def _send(self, response: Response) -> None:
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # Only the path: query strings may carry state, challenges or hints.
        logger.debug("%s %s %s", self.command, urlsplit(self.path).path, code)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug(format, *args)


class HttpServer:
    """The router served on 127.0.0.1 from a background thread."""

    def __init__(self, router: Router, *, port: int = 0) -> None:
        self._server = _Server(("127.0.0.1", port), router)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="fake-microsoft", daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

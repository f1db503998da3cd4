"""The one Microsoft Graph HTTP client: every tool's only way out to Microsoft.

- The base URL comes from the configured cloud (``MICROSOFT_GRAPH_URL``); the person's access
  token comes from the token store and never leaves this module except in the header.
- Every call has a timeout and a ``client-request-id``; Graph's ``request-id`` is appended to
  the caller's list for the audit record.
- 429 waits ``Retry-After`` (capped; a longer wait becomes a "retry after N s" error); 503, 504
  and connection errors are retried with jittered backoff for idempotent requests only; a 401
  refreshes the token once and retries once (wire shapes §3.2; Graph SDK RetryHandler).
- Errors become ``GraphError`` with advice built from Graph's error ``code`` (see graph_errors).

The client is synchronous (``requests``); tools run it on a worker thread (tooling.py).
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.cookiejar import DefaultCookiePolicy
from typing import Any
from urllib.parse import SplitResult, urlsplit

import requests
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser

from graph_tools import graph_errors
from graph_tools.errors import GraphThrottled
from graph_tools.services import access_token_get, connection_refresh

TIMEOUT_SECONDS = (5, 30)  # (connect, read)
MAX_RESPONSE_BYTES = 16 * 1024 * 1024
MAX_ATTEMPTS = 3
MAX_RETRY_AFTER_SECONDS = 10.0  # longer waits are handed back to the model as advice
BACKOFF_SECONDS = 0.5
MAX_REQUEST_IDS = 50
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE"})
RETRIED_STATUSES = frozenset({503, 504})
# RFC 3986 characters only: what Graph's links and upload URLs are made of.
PLAIN_URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
_local = threading.local()


def graph_base_url() -> str:
    return f"{settings.DEPLOYMENT.microsoft.graph_url}/v1.0"


def _session() -> requests.Session:
    # One pooled session per worker thread: requests.Session is not documented thread-safe.
    session: requests.Session | None = getattr(_local, "session", None)
    if session is None:
        session = _local.session = requests.Session()
        # The session serves many people in turn: a cookie Microsoft sets for one (Exchange
        # sets backend-affinity cookies) must never ride along with another's request.
        session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    return session


@dataclass
class GraphReply:
    status: int
    body: Any  # parsed JSON, or None for an empty body (202, 204)
    headers: Mapping[str, str] = field(default_factory=dict)
    content: bytes = b""  # the raw body, for binary downloads


class GraphClient:
    """Calls Graph as one person. ``scope`` is ours (oauth_bridge), named in 403 advice."""

    def __init__(
        self, *, user: AbstractBaseUser, request_ids: list[str], scope: str | None = None
    ) -> None:
        self.user = user
        self.request_ids = request_ids
        self.scope = scope
        self.base_url = graph_base_url()
        self._token: str | None = None

    def get(self, path: str, **options: Any) -> Any:
        return self.request("GET", path, **options).body

    def post(self, path: str, json_body: Any = None, **options: Any) -> Any:
        return self.request("POST", path, json_body=json_body, **options).body

    def patch(self, path: str, json_body: Any, **options: Any) -> Any:
        return self.request("PATCH", path, json_body=json_body, **options).body

    def delete(self, path: str, **options: Any) -> None:
        self.request("DELETE", path, **options)

    def request(
        self,
        method: str,
        path_or_url: str,
        *,
        params: Mapping[str, str] | None = None,
        json_body: Any = None,
        data: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
        authenticated: bool = True,
        raw: bool = False,
    ) -> GraphReply:
        """One logical call: retries, refresh and error mapping included.

        ``path_or_url`` is a path under the Graph base (``/me/messages``) or an absolute URL
        that must lie under it (a nextLink); an upload URL goes with ``authenticated=False``.
        """
        url = self.absolute_url(path_or_url, authenticated=authenticated)
        retryable = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
        call = _Call(method, url, params, json_body, data, dict(headers or {}), authenticated)
        refreshed = False
        for attempt in range(1, MAX_ATTEMPTS + 1):
            response = self._send(call, attempt, retryable=retryable)
            if response is None:
                continue
            if response.status_code == 401 and authenticated and not refreshed:
                self._token, refreshed = connection_refresh(user=self.user), True
                response = self._send(call, attempt, retryable=retryable, final=True)
                if response is None:
                    continue
            wait = self._retry_wait(response, attempt, retryable=retryable)
            if wait is None:
                return self._reply(response, raw=raw)
            time.sleep(wait)
        raise graph_errors.unavailable()

    def absolute_url(self, path_or_url: str, *, authenticated: bool = True) -> str:
        if path_or_url.startswith("/"):
            return f"{self.base_url}{path_or_url}"
        if not authenticated:
            return upload_url_checked(path_or_url, self.base_url)
        return graph_link_checked(path_or_url, self.base_url)

    def _send(
        self, call: _Call, attempt: int, *, retryable: bool, final: bool = False
    ) -> requests.Response | None:
        """The response, or None to try again after a connection error (idempotent only)."""
        try:
            response = _session().request(
                call.method,
                call.url,
                params=call.params,
                json=call.json_body,
                data=call.data,
                headers=self._headers(call, attempt),
                timeout=TIMEOUT_SECONDS,
                allow_redirects=False,
                stream=True,
            )
        except requests.RequestException as exc:
            if retryable and attempt < MAX_ATTEMPTS and not final:
                time.sleep(_backoff(attempt))
                return None
            raise graph_errors.unreachable() from exc
        self._note_request_id(response)
        return response

    def _headers(self, call: _Call, attempt: int) -> dict[str, str]:
        headers = {"client-request-id": str(uuid.uuid4()), "Accept": "application/json"}
        if attempt > 1:
            headers["retry-attempt"] = str(attempt - 1)  # as the Graph SDKs send it
        if call.authenticated:
            if self._token is None:
                self._token = access_token_get(user=self.user)
            headers["Authorization"] = f"Bearer {self._token}"
        return {**headers, **call.headers}

    def _note_request_id(self, response: requests.Response) -> None:
        request_id = response.headers.get("request-id", "")[:64]
        if request_id and len(self.request_ids) < MAX_REQUEST_IDS:
            self.request_ids.append(request_id)

    def _retry_wait(
        self, response: requests.Response, attempt: int, *, retryable: bool
    ) -> float | None:
        """Seconds to wait before the next attempt, or None when this response is final."""
        status = response.status_code
        if status == 429:
            # Graph did not process a throttled request, so any method may be repeated.
            wait = _retry_after(response) or _backoff(attempt)
            if wait > MAX_RETRY_AFTER_SECONDS or attempt == MAX_ATTEMPTS:
                response.close()
                raise GraphThrottled(wait)
        elif status in RETRIED_STATUSES and retryable and attempt < MAX_ATTEMPTS:
            wait = min(_retry_after(response) or _backoff(attempt), MAX_RETRY_AFTER_SECONDS)
        else:
            return None
        response.close()
        return wait

    def _reply(self, response: requests.Response, *, raw: bool) -> GraphReply:
        content = _read_bounded(response)
        headers = {name.lower(): value for name, value in response.headers.items()}
        if 300 <= response.status_code < 400:
            raise graph_errors.malformed()  # Graph does not redirect API calls; never follow
        if response.status_code >= 400:
            raise graph_errors.from_response(
                response.status_code, _json_or_none(content), scope=self.scope
            )
        if raw or not content or response.status_code in (202, 204):
            # 202/204 carry no body by contract (sendMail, reply…): ignore whatever came.
            return GraphReply(response.status_code, None, headers, content)
        body = _json_or_none(content)
        if body is None:
            raise graph_errors.malformed()
        return GraphReply(response.status_code, body, headers, content)


@dataclass(frozen=True)
class _Call:
    method: str
    url: str
    params: Mapping[str, str] | None
    json_body: Any
    data: bytes | None
    headers: dict[str, str]
    authenticated: bool


def graph_link_checked(url: str, base_url: str) -> str:
    """An absolute link from a Graph reply, refused unless it lies under the Graph base.

    ``@odata.nextLink`` and upload URLs are network input: following one to another host
    would send the person's token there (or reach into our network).
    """
    parts, base = _plain_url(url), urlsplit(base_url)
    same_origin = (parts.scheme, parts.netloc) == (base.scheme, base.netloc)
    climbs = ".." in parts.path.split("/")
    if not same_origin or climbs or not (parts.path + "/").startswith(base.path + "/"):
        raise graph_errors.malformed()
    return url


# Hosts Graph hands out pre-authenticated upload URLs on (createUploadSession), per cloud.
OUTLOOK_UPLOAD_HOSTS = frozenset(
    {"outlook.office.com", "outlook.office365.us", "outlook-dod.office365.us", "partner.outlook.cn"}
)


def upload_url_checked(url: str, base_url: str) -> str:
    """An upload session URL, refused unless it is https on Outlook's upload host or lies
    under the Graph base. It carries its own credential: never send it the token."""
    parts = _plain_url(url)
    if parts.scheme == "https" and parts.netloc in OUTLOOK_UPLOAD_HOSTS:
        return url
    return graph_link_checked(url, base_url)


def _plain_url(url: str) -> SplitResult:
    """``url`` split, refused when parsers could disagree on its host: no user info, no
    backslash, no whitespace or control characters (urllib3 reads "https://a\\@b/" as host a,
    urlsplit as host b)."""
    parts = urlsplit(url)
    if PLAIN_URL.fullmatch(url) is None or "@" in parts.netloc:
        raise graph_errors.malformed()
    return parts


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if 0 <= seconds < 86400 else None


def _backoff(attempt: int) -> float:
    # Full jitter: many callers throttled at once do not come back in lockstep.
    return random.uniform(0, BACKOFF_SECONDS * 2 ** (attempt - 1))  # noqa: S311


def _read_bounded(response: requests.Response) -> bytes:
    chunks, total = [], 0
    try:
        for chunk in response.iter_content(64 * 1024):
            total += len(chunk)
            if total > MAX_RESPONSE_BYTES:
                raise graph_errors.too_large()
            chunks.append(chunk)
    except requests.RequestException as exc:
        raise graph_errors.unreachable() from exc
    finally:
        response.close()
    return b"".join(chunks)


def _json_or_none(content: bytes) -> Any:
    try:
        return json.loads(content)
    except (UnicodeDecodeError, ValueError):
        return None

"""One line per request with a request id, JSON lines on request, credentials redacted."""

from __future__ import annotations

import json
import logging

import httpx2
import pytest

from config.logging import JsonFormatter, RedactingFilter, RequestIdFilter, redact

LEAKS = [
    ("Authorization: Bearer eyJhbGciOi.abc.def", "Authorization: [redacted]"),
    ("headers={'authorization': 'Basic dXNlcjpwYXNz'}", "headers={'authorization': '[redacted]'}"),
    ("[(b'authorization', b'Bearer abc123')]", "[(b'authorization', b'[redacted]')]"),
    ("GET /callback?code=M.C507_abc&state=xyz", "GET /callback?code=[redacted]&state=xyz"),
    (
        "grant_type=refresh_token&refresh_token=0.AXo-abc",
        "grant_type=refresh_token&refresh_token=[redacted]",
    ),
    (
        '{"access_token": "eyJ0eXAi", "expires_in": 3599}',
        '{"access_token": "[redacted]", "expires_in": 3599}',
    ),
    ("client_secret=s3cr3t&client_id=abc", "client_secret=[redacted]&client_id=abc"),
    ("{'client_secret': 'abc~def'}", "{'client_secret': '[redacted]'}"),
    ('"code": "0.AXoA-single-use"', '"code": "[redacted]"'),
]


@pytest.mark.parametrize(("text", "expected"), LEAKS)
def test_it_redacts_credentials(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_it_leaves_ordinary_text_alone() -> None:
    text = "GET /mcp 200 1.2ms; error_code=invalid_grant; the code path"
    assert redact(text) == text


def make_record(message: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord("test", logging.WARNING, __file__, 1, message, args, None)


def test_it_redacts_arguments_as_well_as_the_message() -> None:
    record = make_record("token request failed: %s", {"refresh_token": "0.AXo-secret"})
    RedactingFilter().filter(record)
    assert "0.AXo-secret" not in record.getMessage()


def test_it_redacts_exception_text() -> None:
    try:
        raise ValueError("bad response access_token=abc123")
    except ValueError:
        import sys

        record = logging.LogRecord("t", logging.ERROR, __file__, 1, "boom", None, sys.exc_info())
    RedactingFilter().filter(record)
    assert record.exc_text is not None
    assert "abc123" not in record.exc_text


def test_it_writes_json_lines() -> None:
    record = make_record("hello %s", "world")
    RequestIdFilter().filter(record)
    record.fields = {"status": 200}
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["message"] == "hello world"
    assert entry["status"] == 200
    assert entry["request_id"] == "-"
    assert entry["level"] == "WARNING"
    assert "\n" not in line


@pytest.fixture
def asgi_client():
    from config.asgi import application

    return httpx2.AsyncClient(
        transport=httpx2.ASGITransport(app=application), base_url="http://127.0.0.1:8000"
    )


async def test_it_logs_one_line_per_request_with_its_id(asgi_client, caplog) -> None:
    caplog.set_level(logging.INFO, logger="m365mcp.request")
    response = await asgi_client.get("/healthz?code=secret-code")
    request_id = response.headers["x-request-id"]
    lines = [r for r in caplog.records if r.name == "m365mcp.request"]
    assert len(lines) == 1
    assert lines[0].getMessage().startswith("GET /healthz 200 ")
    assert lines[0].request_id == request_id
    assert "secret-code" not in caplog.text


async def test_it_reuses_a_well_formed_incoming_request_id(asgi_client) -> None:
    response = await asgi_client.get("/healthz", headers={"X-Request-ID": "proxy-id-12345"})
    assert response.headers["x-request-id"] == "proxy-id-12345"


async def test_it_replaces_a_malformed_incoming_request_id(asgi_client) -> None:
    response = await asgi_client.get("/healthz", headers={"X-Request-ID": "bad id\r\nforged"})
    assert response.headers["x-request-id"] != "bad id\r\nforged"
    assert len(response.headers["x-request-id"]) == 32

"""Logging: a request id on every line, optional JSON lines, and redaction of credentials.

The redaction filter sits on every handler, so a token that reaches a log message by
accident (an exception text, a URL with ``?code=``) is masked before it is written.
"""

from __future__ import annotations

import json
import logging
import re
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")

REDACTED = "[redacted]"
CREDENTIAL_NAMES = (
    # authtoken: the credential in a Graph upload-session URL (urllib3 logs request lines).
    r"(?:code|refresh_token|access_token|id_token|client_secret|code_verifier|password|authtoken)"
)
REDACTIONS = (
    # Authorization: Bearer abc / "authorization": "Basic abc" / (b'authorization', b'...')
    re.compile(
        r"(?i)(authorization['\"]?\s*[:=,]\s*(?:b(?=['\"]))?['\"]?)"
        r"(?:(?:bearer|basic)\s+)?[^'\"\s,;)}]+"
    ),
    # code=abc&… in query strings and form bodies
    re.compile(rf"(?i)(\b{CREDENTIAL_NAMES}=)[^&\s'\"]+"),
    # "access_token": "abc" in JSON and Python reprs
    re.compile(rf"(?i)(['\"]{CREDENTIAL_NAMES}['\"]\s*:\s*['\"])[^'\"]+"),
)


def redact(text: str) -> str:
    for pattern in REDACTIONS:
        text = pattern.sub(rf"\g<1>{REDACTED}", text)
    return text


class RedactingFilter(logging.Filter):
    """Masks credentials in the fully formatted message, arguments included."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line; extra fields given with ``extra={"fields": {...}}``."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, default=str)


def logging_config(*, level: str, json_lines: bool) -> dict[str, Any]:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": RequestIdFilter},
            "redact": {"()": RedactingFilter},
        },
        "formatters": {
            "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
            "json": {"()": JsonFormatter},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if json_lines else "text",
                "filters": ["request_id", "redact"],
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Our access log (config.requestlog) already writes one line per request.
            "django.request": {"level": "ERROR"},
            "django.server": {"level": "ERROR"},
            "uvicorn.access": {"level": "WARNING"},
            "uvicorn.error": {"level": level, "handlers": [], "propagate": True},
            "uvicorn": {"level": level, "handlers": [], "propagate": True},
            "httpx": {"level": "WARNING"},
            # Both log whole token requests and responses at DEBUG; never let them through.
            "requests_oauthlib": {"level": "INFO"},
            "oauthlib": {"level": "INFO"},
            # The mcp SDK's HTTP+SSE transport logs message bodies (tool arguments and results,
            # mail included) at DEBUG.
            "mcp": {"level": "INFO"},
        },
    }

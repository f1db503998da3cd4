"""Reading one request header straight from an ASGI scope.

Every middleware in front of the SDK asks for a header or two on every request; a scan of the
raw list costs less than building Starlette's ``Headers`` (or a dict) each time. ASGI servers
give header names in lower case (ASGI HTTP spec, "headers").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def header_value(scope: Mapping[str, Any], name: bytes) -> str | None:
    """The first ``name`` header's value (``name`` in lower case), or None."""
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None

"""Reading Graph's JSON replies without trusting their shape (wire shapes §2).

A reply that is not the object or list a request promises is ``graph_errors.malformed()``;
a missing or mistyped field inside one is read as empty, so one odd item does not fail a list.
"""

from __future__ import annotations

import re
from typing import Any

from graph_tools import graph_errors
from graph_tools.tooling import ADDRESS_PATTERN

ADDRESS = re.compile(ADDRESS_PATTERN)


def graph_object(body: Any) -> dict[str, Any]:
    """A reply that must be one JSON object (an item, a result)."""
    if not isinstance(body, dict):
        raise graph_errors.malformed()
    return body


def graph_list(body: Any, name: str = "value") -> list[dict[str, Any]]:
    """The objects of a reply's list ``name``."""
    items = graph_object(body).get(name)
    if not isinstance(items, list):
        raise graph_errors.malformed()
    return [item for item in items if isinstance(item, dict)]


def text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def strings(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def mailbox_text(recipient: Any) -> str:
    """``{"emailAddress": {"name": …, "address": …}}`` as "Name <address>" (or the address)."""
    email = recipient.get("emailAddress") if isinstance(recipient, dict) else None
    if not isinstance(email, dict):
        return ""
    name, address = text(email.get("name")), text(email.get("address"))
    return f"{name} <{address}>" if name and address and name != address else address or name


def recipient_address(recipient: Any) -> str:
    """The address of ``{"emailAddress": {"address": …}}`` when it is one, else empty: an entry
    with only a name, or an X500 address, is one Exchange resolves itself to someone."""
    email = recipient.get("emailAddress") if isinstance(recipient, dict) else None
    address = text(email.get("address")) if isinstance(email, dict) else ""
    return address if ADDRESS.match(address) else ""

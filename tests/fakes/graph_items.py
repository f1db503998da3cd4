"""What the fake's Outlook areas (mail, calendar, contacts) share: ids, change stamps, request
bodies and Exchange's errors (wire shapes §2 IDs, §3.1 errors)."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from tests.fakes.graph import GraphCall, GraphError

EMPTY_PAYLOAD = "Empty Payload. JSON content expected."


def outlook_id(*parts: object, size: int = 46) -> str:
    """A stable, real-looking Outlook id (``AAMkAD…``, base64 with ``+``, ``/`` and ``=``) made
    from ``parts``: the same parts give the same id, other parts another."""
    seed = ":".join(str(part) for part in parts).encode()
    digest = hashlib.shake_256(seed).digest(size)
    return "AAMkAD" + base64.b64encode(digest).decode()


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def change_stamp(item: dict[str, Any], at: str) -> None:
    """A new changeKey and @odata.etag, as Exchange gives every change (even two in the same
    second), and the time of the change."""
    seed = f"{item['id']}{at}{item.get('changeKey', '')}"
    change_key = base64.b64encode(hashlib.sha256(seed.encode()).digest()[:18]).decode()
    item.update({"@odata.etag": f'W/"{change_key}"', "changeKey": change_key})
    item["lastModifiedDateTime"] = at


def json_object(
    call: GraphCall, *, empty: dict[str, Any] | None = None, message: str = EMPTY_PAYLOAD
) -> dict[str, Any]:
    """The request's JSON object; an empty body stands for ``empty`` (None: refused)."""
    try:
        body = json.loads(call.request.body) if call.request.body else empty
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise GraphError(400, "BadRequest", message)
    return body


def item_not_found() -> GraphError:
    # Exchange often answers this one without innerError (wire shapes §3.1).
    return GraphError(
        404,
        "ErrorItemNotFound",
        "The specified object was not found in the store., The process failed to get the "
        "correct properties.",
        inner=False,
    )


def unwritable_property(name: str, on_type: str) -> GraphError:
    """What a request body naming a property the type does not have gets."""
    return GraphError(
        400,
        "RequestBodyRead",
        f"The property '{name[:100]}' does not exist on type '{on_type}'. Make sure to only use "
        "property names that are defined by the type or mark the type as open type.",
    )


def unknown_property(name: str, on_type: str, code: str = "RequestBroker--ParseUri") -> GraphError:
    """What $select, $orderby or $filter naming a property the type lacks gets."""
    return GraphError(
        400, code, f"Could not find a property named '{name[:100]}' on type '{on_type}'."
    )

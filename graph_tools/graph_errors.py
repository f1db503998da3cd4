"""Graph's error replies turned into advice the model can act on (wire shapes §3.1).

We branch on Graph's ``code`` and the HTTP status, never on its ``message``: codes are
stable, messages change wording and may quote the person's data. Nested ``innerError``
codes are walked and the most specific one we recognise wins.
"""

from __future__ import annotations

import re
from typing import Any

from graph_tools.errors import GraphError, ReauthRequired
from oauth_bridge.scopes import SCOPES_BY_NAME

MAX_DEPTH = 5
ERROR_CODE = re.compile(r"[A-Za-z][A-Za-z0-9_.]{0,63}")
NOT_FOUND = (
    "Microsoft 365 could not find that item: it may have been moved or deleted, or the id is "
    "incomplete. List again to get current ids, and pass ids exactly as returned."
)
UNKNOWN_ZONE = (
    "Microsoft 365 does not know that time zone: use a Windows name such as 'Pacific "
    "Standard Time' or an IANA name such as 'America/Los_Angeles'."
)
ADVICE_BY_CODE = {
    "MailboxNotEnabledForRESTAPI": (
        "This account has no Exchange Online mailbox (it may be unlicensed, a guest, or hosted "
        "on-premises), so mail and calendar tools cannot work for it. Tell the person to ask "
        "their administrator for an Exchange Online licence."
    ),
    "ErrorInvalidRecipients": (
        "Microsoft 365 refused the recipients: at least one address is not valid or no "
        "recipient was given. Check every address (name@domain) and try again."
    ),
    "ErrorInvalidIdMalformed": (
        "The id is malformed. Pass ids exactly as a list or search tool returned them."
    ),
    "ErrorItemNotFound": NOT_FOUND,
    "itemNotFound": NOT_FOUND,
    "ResourceNotFound": NOT_FOUND,
    "NotFound": NOT_FOUND,
    "ErrorQuotaExceeded": "The mailbox is full. The person must free space in Outlook first.",
    "ErrorMessageSizeExceeded": (
        "The message is larger than the mailbox allows. Send fewer or smaller attachments."
    ),
    "InefficientFilter": "Microsoft 365 found the query too complex; simplify the search.",
    "SearchWithOrderBy": "Microsoft 365 cannot sort search results; search without sorting.",
    "ErrorInvalidParameter": "Microsoft 365 rejected a value: check the arguments' formats.",
    "ErrorPropertyValidationFailure": (
        "Microsoft 365 rejected a value: check the arguments' formats."
    ),
    "TimeZoneNotSupportedException": UNKNOWN_ZONE,
    "ErrorTimeZoneNotSupported": UNKNOWN_ZONE,
}
FORBIDDEN_CODES = frozenset(
    {"ErrorAccessDenied", "Authorization_RequestDenied", "Forbidden", "accessDenied"}
)


def from_response(status: int, body: Any, *, scope: str | None) -> GraphError:
    codes = list(_codes(body))
    if status == 401:
        return _reauth()
    if status == 403 and (not codes or FORBIDDEN_CODES.intersection(codes)):
        return forbidden(scope, codes[0] if codes else "")
    known = next((code for code in reversed(codes) if code in ADVICE_BY_CODE), None)
    if known is not None:
        return GraphError(ADVICE_BY_CODE[known], status=status, code=known)
    return _by_status(status, codes[0] if codes else "")


def forbidden(scope: str | None, code: str) -> GraphError:
    permissions = ", ".join(SCOPES_BY_NAME[scope].graph_permissions) if scope else ""
    needs = f" ({permissions})" if permissions else ""
    ours = f" the {scope} permission" if scope else " this permission"
    return GraphError(
        "Microsoft 365 refused: the signed-in account may not do this. Ask the person to "
        f"reconnect the assistant and approve{ours}; if it is refused again, their "
        f"administrator must grant consent for the Microsoft Graph permissions{needs}.",
        status=403,
        code=code,
    )


def _by_status(status: int, code: str) -> GraphError:
    if status == 404:
        return GraphError(NOT_FOUND, status=status, code=code)
    if status in (409, 412):
        return GraphError(
            "The item changed in Microsoft 365 meanwhile. Read it again, then retry.",
            status=status,
            code=code,
        )
    if status == 413:
        return GraphError(
            "Microsoft 365 refused the request as too large. Send less data.",
            status=status,
            code=code,
        )
    if status >= 500:
        return unavailable(status=status, code=code)
    return GraphError(
        f"Microsoft 365 rejected the request ({status} {code or 'error'}). Check the "
        "arguments against the tool's schema and try again.",
        status=status,
        code=code,
    )


def _codes(body: Any) -> list[str]:
    """Error codes from the outside in: ``error.code``, ``error.innerError.code``, …"""
    codes: list[str] = []
    node = body.get("error") if isinstance(body, dict) else None
    for _ in range(MAX_DEPTH):
        if not isinstance(node, dict):
            break
        code = node.get("code")
        # Codes are identifiers (ErrorItemNotFound); anything else is prose we never repeat.
        if isinstance(code, str) and ERROR_CODE.fullmatch(code):
            codes.append(code)
        node = node.get("innerError") or node.get("innererror")
    return codes


def _reauth() -> GraphError:
    reauth = ReauthRequired("Microsoft refused the stored sign-in")
    return GraphError(reauth.tool_message, status=401, code="InvalidAuthenticationToken")


def unavailable(*, status: int | None = 503, code: str = "serviceNotAvailable") -> GraphError:
    return GraphError(
        "Microsoft 365 is unavailable right now. Try again in a minute.",
        status=status,
        code=code,
    )


def unreachable() -> GraphError:
    return GraphError(
        "The server could not reach Microsoft 365. Try again in a minute; if it keeps "
        "failing, tell the person so that they can tell their administrator.",
        code="unreachable",
    )


def malformed() -> GraphError:
    return GraphError(
        "Microsoft 365 sent a reply the server could not read. Try again; if it keeps "
        "happening, tell the person so that they can report it.",
        code="malformedReply",
    )


def too_large() -> GraphError:
    return GraphError(
        "Microsoft 365's reply was too large to handle. Ask for fewer items.",
        code="replyTooLarge",
    )

"""Errors that cross layers; the edge (HTTP, JSON-RPC, tool result) turns each into an answer once.

None of them ever carries a token or a secret.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import NoReverseMatch

# Entra answers that mean the stored sign-in is no longer usable: only the person can fix them,
# by signing in again (MSAL classifies the same errors as "interaction required").
SIGN_IN_ERRORS = frozenset(
    {"invalid_grant", "interaction_required", "consent_required", "login_required"}
)
AADSTS_PREFIX = re.compile(r"^AADSTS\d+:\s*")
ERROR_CODE_JUNK = re.compile(r"[^A-Za-z0-9_.-]")  # OAuth error codes are plain ASCII words
# Plain words for the AADSTS codes people meet most (Microsoft identity platform error codes).
AADSTS_REASONS = {
    50076: "Microsoft now asks for multi-factor authentication",
    50079: "Microsoft now asks for multi-factor authentication",
    50173: "the sign-in was revoked, for example after a password change",
    53003: "a Conditional Access policy blocked the sign-in",
    65001: "consent for this app was revoked or never given",
    70000: "Microsoft no longer accepts the stored sign-in",
    70008: "the refresh token expired after a long time without use",
    700082: "the refresh token expired after 90 days without use",
}


def sign_in_url() -> str:
    try:
        path = resolve_url(settings.LOGIN_URL)
    except NoReverseMatch:  # the sign-in view is oauth_bridge's; fall back to the site root
        path = "/"
    return f"{settings.PUBLIC_URL}{path}"


class ReauthRequired(Exception):
    """The person must sign in to Microsoft again; retrying cannot help until they do."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        self.sign_in_url = sign_in_url()
        super().__init__(
            f"You need to sign in to Microsoft again ({reason}). Reconnect your assistant to "
            f"this server, or sign in at {self.sign_in_url}, then try again."
        )

    @property
    def tool_message(self) -> str:
        """What a tool answers (an ``isError`` result): tell the person how to reconnect."""
        return str(self)


class ConnectionConflict(Exception):
    """The account is linked to another Microsoft person, or that person to another account."""


class MicrosoftTokenError(Exception):
    """Entra refused or failed a token request: its OAuth error, AADSTS code and description.

    ``description`` is the first line of Entra's ``error_description``, which names codes and
    parameters, never credential values.
    """

    def __init__(
        self,
        *,
        error: str,
        description: str = "",
        aadsts: int | None = None,
        status: int | None = None,
    ) -> None:
        self.error = ERROR_CODE_JUNK.sub("", error)[:100] or "invalid_response"
        first_line = description.strip().splitlines()[0] if description.strip() else ""
        self.description = AADSTS_PREFIX.sub("", first_line)[:300]
        self.aadsts = aadsts
        self.status = status
        code = f" AADSTS{aadsts}" if aadsts is not None else ""
        super().__init__(f"Microsoft token endpoint: {self.error}{code}: {self.description}")

    @property
    def tool_message(self) -> str:
        """What a tool answers when Microsoft could not be reached or refused the server."""
        return (
            "Microsoft did not answer the server's token request "
            f"({self.error}). Try again in a minute; if it keeps failing, tell the person so "
            "that they can tell their administrator."
        )

    @property
    def requires_sign_in(self) -> bool:
        return self.error in SIGN_IN_ERRORS

    @property
    def sign_in_reason(self) -> str:
        """Why the person has to sign in again, in plain words."""
        reason = AADSTS_REASONS.get(self.aadsts or 0, f"Microsoft answered {self.error}")
        return f"{reason} (AADSTS{self.aadsts})" if self.aadsts is not None else reason


class GraphError(Exception):
    """Microsoft Graph refused or failed a request; ``tool_message`` says what to do next.

    Built from Graph's error ``code`` (never its free-text message, which may quote the
    person's data), the HTTP status and the scope the tool needs (wire shapes §3.1).
    """

    def __init__(self, tool_message: str, *, status: int | None = None, code: str = "") -> None:
        super().__init__(f"Microsoft Graph {status or '-'} {code}".strip())
        self.tool_message = tool_message
        self.status = status
        self.code = code


class GraphThrottled(GraphError):
    """Graph kept answering 429 (or asked for a longer wait than a tool call can take)."""

    def __init__(self, retry_after: float) -> None:
        seconds = max(1, round(retry_after))
        super().__init__(
            f"Microsoft 365 is throttling requests for this account: retry after {seconds} s.",
            status=429,
            code="TooManyRequests",
        )
        self.retry_after = seconds


class InvalidCursor(Exception):
    tool_message = (
        "The cursor is not valid here (it belongs to another listing or person, or was "
        "changed). Call the tool again without a cursor to start from the first page."
    )


class PolicyRefusal(Exception):
    """The deployment's policy forbids this call; nothing was sent to Microsoft."""

    def __init__(self, tool_message: str) -> None:
        super().__init__(tool_message)
        self.tool_message = tool_message


class UnknownTimeZone(Exception):
    """Local times were given in a zone this server cannot convert; nothing was sent."""

    def __init__(self, zone: str) -> None:
        self.tool_message = (
            f"The time zone {zone!r} is not known to this server, so local times in it "
            "cannot be converted. Give the times with an offset (e.g. "
            "2026-12-01T09:00:00+01:00) or name an IANA zone (e.g. Europe/Berlin)."
        )
        super().__init__(self.tool_message)

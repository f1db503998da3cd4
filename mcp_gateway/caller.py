"""Who is calling: the person, the client and the scopes behind a validated bearer token.

The authentication middleware sets the caller for the duration of a request; the SDK carries
context variables from the HTTP request into its handler tasks, so a tool handler reads the
caller with ``current_caller()`` whatever the transport or protocol era.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser


@dataclass(frozen=True)
class Caller:
    person: AbstractBaseUser
    person_id: int
    person_name: str  # a display name; the username when none is known
    username: str
    client_pk: int  # DOT Application primary key
    client_id: str
    client_name: str
    scopes: frozenset[str]
    token_pk: int  # the DOT AccessToken row: streams end when it is deleted (revoked)
    expires: datetime

    def sorted_scopes(self) -> list[str]:
        return sorted(self.scopes)


CALLER: ContextVar[Caller | None] = ContextVar("mcp_gateway_caller", default=None)


def current_caller() -> Caller | None:
    return CALLER.get()

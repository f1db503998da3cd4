"""Everything the fake remembers, behind one lock.

Request handlers run on many threads; each takes ``state.lock`` for its whole read-check-write,
so counts are exact and a refresh token is never half-rotated. Tests change the same state
through ``FakeMicrosoft`` (tests/fakes/microsoft.py).
"""

from __future__ import annotations

import random
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from tests.fakes.aadsts import EntraError
from tests.fakes.people import CAST, App, Person
from tests.fakes.scopes import ScopeStyle
from tests.fakes.tokens import Keys

CODE_LIFETIME_SECONDS = 600  # "about 10 minutes" (wire shapes §1.3)
REFRESH_IDLE_SECONDS = 90 * 24 * 3600  # 90 days from last use (§1.4)

# One person's Graph data: collection name ("messages", "events", …) → items.
Collections = dict[str, list[dict[str, Any]]]


@dataclass
class CodeGrant:
    person: Person
    client_id: str
    redirect_uri: str
    oidc: frozenset[str]
    challenge: str | None
    challenge_method: str | None
    nonce: str | None
    expires_at: float
    redeemed: bool = False


@dataclass
class RefreshGrant:
    person: Person
    client_id: str
    oidc: frozenset[str]
    issued_at: float
    last_used: float
    status: Literal["active", "revoked", "expired"] = "active"
    redemptions: int = 0  # successful refreshes with this token (it stays valid: §1.4)


@dataclass
class AccessGrant:
    person: Person
    permissions: frozenset[str]
    expires_at: float


@dataclass(frozen=True)
class AuthorizeRecord:
    person: str | None  # the key of the person signed in, if any
    params: dict[str, str]  # the query as sent (nothing in it is secret)
    error: str | None  # None when a code was issued
    at: float


@dataclass(frozen=True)
class TokenRecord:
    grant_type: str
    person: str | None
    error: str | None  # None when tokens were issued
    at: float


@dataclass(frozen=True)
class GraphRecord:
    method: str
    path: str
    person: str | None
    status: int
    at: float


@dataclass(frozen=True)
class TokenFailure:
    error: EntraError
    grant_type: str | None  # None: the next token request of any grant type


@dataclass(frozen=True)
class GraphFailure:
    status: int
    code: str
    message: str
    headers: dict[str, str]
    path: str | None  # None: the next Graph request; else the next whose path contains it


def _empty_mailboxes(person: Person) -> Collections:
    return {}


# --seed choices. Profiles always come from the cast (people.py); a seed fills the rest of
# each person's Graph data. The mail/calendar/teams endpoints add their seeded items here.
SEEDS: dict[str, Callable[[Person], Collections]] = {"default": _empty_mailboxes}


@dataclass
class Knobs:
    """Behaviour a test may change; ``reset()`` restores these defaults."""

    # None: a random 60-90 minutes per token, like the real service (wire shapes §1.4).
    access_token_lifetime: int | None = None
    # Seconds each token request waits before it is handled, to widen race windows.
    token_latency: float = 0.0
    scope_style: ScopeStyle = "uri"
    # Strict: /authorize requires state, nonce and an S256 PKCE challenge. Real Entra
    # requires none of them for a web app; the server under test must always send them.
    strict: bool = True


class FakeState:
    def __init__(self, *, app: App, seed: str = "default") -> None:
        self.lock = threading.RLock()
        self.app = app
        self.keys = Keys()
        self.url = ""  # set once the server listens
        self.seed = SEEDS[seed]
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.knobs = Knobs()
            self.client_secret_expired = False  # the app's secret answers AADSTS7000222
            self.redirect_uris: set[str] = set()
            self.signed_in: Person | None = None
            self.consents: dict[str, set[str]] = {key: set() for key in CAST}
            self.codes: dict[str, CodeGrant] = {}
            self.refresh_tokens: dict[str, RefreshGrant] = {}
            self.access_tokens: dict[str, AccessGrant] = {}
            self.authorize_failures: deque[EntraError] = deque()
            self.token_failures: deque[TokenFailure] = deque()
            self.graph_failures: deque[GraphFailure] = deque()
            self.authorize_records: list[AuthorizeRecord] = []
            self.token_records: list[TokenRecord] = []
            self.graph_records: list[GraphRecord] = []
            self.graph_data: dict[str, Collections] = {
                key: self.seed(person) for key, person in CAST.items()
            }

    def access_token_lifetime(self) -> int:
        lifetime = self.knobs.access_token_lifetime
        return lifetime if lifetime is not None else random.randint(3600, 5400)

    def token_failure_take(self, grant_type: str) -> EntraError | None:
        for failure in self.token_failures:
            if failure.grant_type in (None, grant_type):
                self.token_failures.remove(failure)
                return failure.error
        return None

    def graph_failure_take(self, path: str) -> GraphFailure | None:
        for failure in self.graph_failures:
            if failure.path is None or failure.path in path:
                self.graph_failures.remove(failure)
                return failure
        return None

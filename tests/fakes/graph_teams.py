"""Graph teams endpoints of the fake (wire shapes §2A); see graph_users.py for the pattern."""

from __future__ import annotations

from tests.fakes.graph import GraphRoute
from tests.fakes.people import Person
from tests.fakes.state import Collections


def seed(person: Person) -> Collections:
    """This person's seeded teams data."""
    return {}


ROUTES: tuple[GraphRoute, ...] = ()

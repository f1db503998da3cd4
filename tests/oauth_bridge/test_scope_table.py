"""The scope table: complete, least-privilege by construction, and documented as it is."""

from __future__ import annotations

from oauth_bridge.scopes import (
    BASE_GRAPH_PERMISSIONS,
    DEFAULT_SCOPES,
    SCOPE_NAMES,
    SCOPES,
    graph_permissions_for,
    permission_granted,
)
from tests.processes import REPO


def test_it_documents_every_scope_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text()
    for scope in SCOPES:
        permissions = ", ".join(f"`{p}`" for p in scope.graph_permissions)
        assert f"| `{scope.name}` | {scope.description} | {permissions} |" in readme


def test_it_asks_only_for_what_the_scopes_need() -> None:
    assert graph_permissions_for(["contacts.read"]) == [*BASE_GRAPH_PERMISSIONS, "Contacts.Read"]
    assert graph_permissions_for([]) == list(BASE_GRAPH_PERMISSIONS)


def test_it_names_no_permission_twice() -> None:
    permissions = graph_permissions_for(SCOPE_NAMES)
    assert len(permissions) == len(set(permissions))


def test_it_defaults_to_reading_only() -> None:
    assert all(name.endswith(".read") for name in DEFAULT_SCOPES)
    assert set(DEFAULT_SCOPES) <= set(SCOPE_NAMES)


def test_it_counts_a_broader_permission_as_granting_the_narrower() -> None:
    assert permission_granted("Mail.ReadBasic", {"mail.read"})
    assert permission_granted("Mail.ReadBasic", {"mail.readwrite"})
    assert permission_granted("Calendars.Read", {"calendars.readwrite"})
    assert not permission_granted("Mail.Read", {"mail.readbasic"})
    assert not permission_granted("Mail.Send", {"mail.readwrite"})

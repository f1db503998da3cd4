"""docs/entra-app-registration.md lists the permissions and clouds the code really uses."""

from __future__ import annotations

import re

from config.deployment import MICROSOFT_CLOUDS
from oauth_bridge.scopes import BASE_GRAPH_PERMISSIONS, SCOPES
from tests.guides import section, table_rows
from tests.processes import REPO

GUIDE = REPO / "docs" / "entra-app-registration.md"
NAME = re.compile(r"`([^`]+)`")
EVERY_SIGN_IN = "every sign-in"


def documented_permissions() -> dict[str, tuple[str, ...]]:
    rows = table_rows(section(GUIDE, "4. API permissions and consent"))
    return {
        NAME.findall(permission)[0]: (
            (EVERY_SIGN_IN,) if scopes == EVERY_SIGN_IN else tuple(NAME.findall(scopes))
        )
        for permission, scopes, _admin in rows
    }


def test_it_lists_every_permission_with_the_scopes_that_need_it() -> None:
    needed: dict[str, tuple[str, ...]] = dict.fromkeys(BASE_GRAPH_PERMISSIONS, (EVERY_SIGN_IN,))
    for scope in SCOPES:
        for permission in scope.graph_permissions:
            needed[permission] = (*needed.get(permission, ()), scope.name)
    assert documented_permissions() == needed


def test_it_agrees_with_the_readme_on_admin_consent() -> None:
    rows = table_rows(section(GUIDE, "4. API permissions and consent"))
    assert {admin for *_, admin in rows} == {"yes", "no"}
    readme = section(REPO / "README.md", "Scopes and Microsoft Graph permissions")
    sentence = readme[max(0, readme.index("needs an administrator's consent") - 200) :]
    for permission, _scopes, admin in rows:
        if admin == "yes":
            assert f"{permission} (in" in sentence


def test_it_lists_every_cloud_with_its_hosts() -> None:
    rows = table_rows(section(GUIDE, "6. National clouds"))
    documented = {
        NAME.findall(value)[0]: (NAME.findall(login)[0], NAME.findall(graph)[0])
        for _name, value, _portal, login, graph in rows
    }
    assert documented == MICROSOFT_CLOUDS


def test_it_names_the_callback_the_server_uses() -> None:
    assert "`$PUBLIC_URL/oauth/microsoft/callback`" in GUIDE.read_text(encoding="utf-8")

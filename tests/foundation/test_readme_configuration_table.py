"""The README's configuration table names every variable the configuration reads."""

from __future__ import annotations

import re

from tests.guides import configuration_variables, section, table_rows
from tests.processes import REPO

VARIABLE = re.compile(r"`([A-Z][A-Z0-9_]+)`")


def documented_variables() -> set[str]:
    rows = table_rows(section(REPO / "README.md", "Configuration"))
    return {name for row in rows for name in VARIABLE.findall(row[0])}


def test_it_documents_every_variable_the_configuration_reads() -> None:
    known = configuration_variables()
    assert {"PUBLIC_URL", "DATABASE_URL", "FORWARDED_ALLOW_IPS"} <= known  # the reader works
    assert known - documented_variables() == set()


def test_it_documents_the_in_process_token_refresh_switch() -> None:
    assert "MICROSOFT_TOKEN_REFRESH_IN_PROCESS" in documented_variables()

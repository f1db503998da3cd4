"""Every message the README's troubleshooting table quotes is one the code really produces.

A quoted message may leave out the parts that vary with `…`; each remaining fragment must be
in a string of our code (Python string literals, f-strings' literal parts, templates) or of
the mcp SDK, whose transport answers some of them (421, 403, 404, 413).
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import mcp

from tests.guides import section, table_rows
from tests.processes import REPO

CODE = [
    REPO / "manage.py",
    *(REPO / app for app in ("config", "oauth_bridge", "mcp_gateway", "graph_tools")),
]
QUOTED = re.compile(r'"([^"]+)"')
CODE_SPAN = re.compile(r"`[^`]*`")
SPACE = re.compile(r"\s+")


def python_strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


@cache
def source_strings() -> tuple[str, ...]:
    strings: list[str] = []
    for root in [*CODE, Path(mcp.__file__).parent]:
        files = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in files:
            if path.suffix == ".py":
                strings.extend(python_strings(path))
            elif path.suffix == ".html":
                strings.append(path.read_text(encoding="utf-8"))
    return tuple(SPACE.sub(" ", text) for text in strings)


def quoted_messages() -> list[str]:
    rows = table_rows(section(REPO / "README.md", "Troubleshooting"))
    cells = [CODE_SPAN.sub("", cell) for row in rows for cell in row]
    return [message for cell in cells for message in QUOTED.findall(cell)]


def test_it_quotes_many_messages() -> None:
    assert len(quoted_messages()) >= 25


def test_it_quotes_only_messages_the_code_produces() -> None:
    strings = source_strings()
    missing = [
        (message, fragment)
        for message in quoted_messages()
        for fragment in (part.strip() for part in message.split("…"))
        if fragment and not any(fragment in text for text in strings)
    ]
    assert missing == []

"""Read the documentation the way its tests check it: marked code blocks, tables, variables."""

from __future__ import annotations

import re
from pathlib import Path

from tests.processes import REPO

# `<!-- deployment-test: NAME -->` right before a fenced block marks it for a test to run.
MARKED_BLOCK = re.compile(
    r"<!-- (?P<marker>[\w-]+): (?P<name>[\w-]+) -->\n```[\w-]*\n(?P<body>.*?)\n```", re.S
)
# What config/deployment.py reads: env.text("NAME"), env.flag("NAME", …), ConfigError("NAME", …).
READ_VARIABLE = re.compile(r"""(?:env\.\w+|ConfigError)\(\s*"([A-Z][A-Z0-9_]+)\"""")
EXAMPLE_VARIABLE = re.compile(r"^#? ?([A-Z][A-Z0-9_]+)=", re.M)


def marked_blocks(path: Path, marker: str) -> dict[str, str]:
    """The code blocks of ``path`` marked ``<!-- marker: name -->``, by name."""
    blocks: dict[str, str] = {}
    for found in MARKED_BLOCK.finditer(path.read_text(encoding="utf-8")):
        if found["marker"] == marker:
            assert found["name"] not in blocks, f"two blocks named {found['name']} in {path}"
            blocks[found["name"]] = found["body"] + "\n"
    return blocks


def section(path: Path, heading: str) -> str:
    """The text under the Markdown heading ``heading`` (any level), up to the next heading."""
    text = path.read_text(encoding="utf-8")
    found = re.search(rf"^#+ {re.escape(heading)}\n(.*?)(?=^#+ |\Z)", text, re.M | re.S)
    assert found, f"{path.name} has no section {heading!r}"
    return found.group(1)


def table_rows(text: str) -> list[list[str]]:
    """The cells of the first Markdown table in ``text``, header and rule left out."""
    lines = [line for line in text.splitlines() if line.startswith("|")]
    first = text.splitlines().index(lines[0]) if lines else 0
    table: list[str] = []
    for line in text.splitlines()[first:]:
        if not line.startswith("|"):
            break
        table.append(line)
    return [[cell.strip() for cell in row.strip("|").split(" | ")] for row in table[2:]]


def configuration_variables() -> set[str]:
    """Every environment variable config/deployment.py reads or .env.example documents."""
    code = (REPO / "config" / "deployment.py").read_text(encoding="utf-8")
    example = (REPO / ".env.example").read_text(encoding="utf-8")
    return set(READ_VARIABLE.findall(code)) | set(EXAMPLE_VARIABLE.findall(example))

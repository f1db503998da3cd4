"""Arguments quoted in a confirmation question, so that they cannot restyle it.

The question (mcp_gateway/confirmation.py) is what the person agrees to, and a subject or a
name comes from the model, which may have read it in someone's mail. Quoted text therefore
stays on one line (no line breaks that push the real recipients out of view), is short, and
cannot close its own quotes; and every recipient is named, never "and N more", so nothing
the person agrees to is hidden.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Line and paragraph breaks, tabs and other controls, and every kind of space: one space each.
BREAKS = frozenset({"Cc", "Zl", "Zp", "Zs"})
# Invisible format characters (bidi overrides such as U+202E, zero-width ones) can reorder or
# hide what is shown around them: they are dropped.
INVISIBLE = "Cf"
QUOTES = re.compile('["\u201c\u201d]')
SPACES = re.compile(" +")


def one_line(text: str, limit: int = 100) -> str:
    """``text`` on one line, at most ``limit`` characters (cut with "…")."""
    kept = (
        " " if unicodedata.category(char) in BREAKS else char
        for char in text
        if unicodedata.category(char) != INVISIBLE
    )
    line = SPACES.sub(" ", "".join(kept)).strip()
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def quoted(text: str, limit: int = 100) -> str:
    """``text`` as “…” in a question: one line, short, with its own quotes made apostrophes."""
    return "\u201c" + one_line(QUOTES.sub("'", text), limit) + "\u201d"


def listed(addresses: Iterable[str]) -> str:
    """Every address, comma-separated, each on one line (addresses are short: no cut)."""
    return ", ".join(one_line(address, 320) for address in addresses)

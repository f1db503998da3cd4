"""Mail and message bodies as plain text the model can read, trimmed with an explicit marker.

HTML is parsed (never rendered) with the standard library: scripts, styles and comments are
dropped, block elements become line breaks, entities are decoded. The result is text only,
so nothing from a message can run anywhere.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote"}
)
SKIPPED_TAGS = frozenset({"script", "style", "head", "title", "template", "noscript"})
BLANK_LINES = re.compile(r"\n\s*\n(\s*\n)+")
SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
TRIM_MARKER = "[… trimmed: {more} more characters]"


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = (SPACES.sub(" ", line).strip() for line in "".join(parser.parts).split("\n"))
    return BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def body_text(body: object) -> str:
    """Graph's ``{"contentType": "html"|"text", "content": …}`` as plain text."""
    if not isinstance(body, dict) or not isinstance(body.get("content"), str):
        return ""
    content: str = body["content"]
    if str(body.get("contentType", "")).lower() == "html":
        return html_to_text(content)
    return content.strip()


def trimmed(text: str, limit: int) -> tuple[str, bool]:
    """``text`` cut at ``limit`` characters with a marker saying how much is left out."""
    if len(text) <= limit:
        return text, False
    return text[:limit] + "\n" + TRIM_MARKER.format(more=len(text) - limit), True

"""Mail and message bodies as plain text the model can read, trimmed with an explicit marker.

HTML is scanned (never rendered) by one linear pass over its tags: scripts, styles and comments
are dropped, block elements become line breaks, other tags disappear, entities are decoded.
The result is text only, so nothing from a message can run anywhere. A hand-written scan
rather than html.parser: CPython's parser takes quadratic time on hostile input such as
"<a <a <a …" (seconds for 24 KB) and raises on some malformed declarations ("<![ …").
"""

from __future__ import annotations

import re
from html import unescape

BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote"}
)
SKIPPED_TAGS = frozenset({"script", "style", "head", "title", "template", "noscript"})
TAG_NAME = re.compile(r"/?\s*([A-Za-z][A-Za-z0-9-]{0,30})")
BLANK_LINES = re.compile(r"\n\s*\n(\s*\n)+")
SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
MAX_HTML_CHARACTERS = 4 * 1024 * 1024  # Graph bodies are bounded by the reply cap anyway
TRIM_MARKER = "[… trimmed: {more} more characters]"


def html_to_text(html: str) -> str:
    parts = _text_parts(html[:MAX_HTML_CHARACTERS])
    lines = (SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _text_parts(html: str) -> list[str]:
    """The text between tags, and a line break per block tag; every step moves forward."""
    parts: list[str] = []
    position, skipping, closing = 0, 0, -2  # closing: the next ">" (-2 unknown, -1 none)
    while position < len(html):
        opening = html.find("<", position)
        if opening < 0:
            opening = len(html)
        if not skipping:
            parts.append(unescape(html[position:opening]))
        if opening == len(html):
            break
        if html.startswith("<!--", opening):
            end = html.find("-->", opening + 4)
            position = len(html) if end < 0 else end + 3
            continue
        if closing != -1 and closing < opening:
            closing = html.find(">", opening + 1)
        following = html.find("<", opening + 1)
        if closing < 0 or 0 <= following < closing:
            if not skipping:
                parts.append("<")  # a lone "<" is text, not a tag
            position = opening + 1
            continue
        skipping = _tag(html[opening + 1 : closing], parts, skipping)
        position = closing + 1
    return parts


def _tag(inside: str, parts: list[str], skipping: int) -> int:
    """Note one tag's effect; returns the new depth of skipped elements."""
    found = TAG_NAME.match(inside)
    if found is None:
        return skipping  # <!DOCTYPE …>, <![CDATA[…]]>, <?…?>: dropped
    name, end_tag = found[1].lower(), inside.startswith("/")
    if name in SKIPPED_TAGS:
        return max(0, skipping - 1) if end_tag else skipping + 1
    if name in BLOCK_TAGS and not skipping:
        parts.append("\n")
    return skipping


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

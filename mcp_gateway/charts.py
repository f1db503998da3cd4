"""Bar charts as inline SVG, drawn on the server: no JavaScript, no stylesheet of a third
party, nothing fetched, so they render under a strict Content-Security-Policy and offline.

Colours are SVG presentation attributes, not ``style`` attributes (which CSP's style-src
governs). Every text is escaped by format_html; each bar carries a <title> for its figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT = 720, 180
LEFT, BOTTOM, TOP = 44, 22, 10  # room for the axis labels
PLAIN, ALERT, AXIS = "#417690", "#ba2121", "#999999"  # the admin's own blue and red


@dataclass(frozen=True)
class Bar:
    label: str  # under the bar (shown for some bars only, so they do not overlap)
    value: float
    alert: float = 0.0  # the part of ``value`` drawn in red (errors)
    title: str = ""  # the tooltip: the figures in words


def bar_chart(*, bars: Sequence[Bar], caption: str, unit: str = "", every: int = 1) -> SafeString:
    """A bar chart of ``bars``, scaled to the largest; a label under every ``every``-th bar."""
    top = max([bar.value for bar in bars] + [0.0])
    scale = (HEIGHT - BOTTOM - TOP) / top if top else 0.0
    step = (WIDTH - LEFT) / max(len(bars), 1)
    drawn = format_html_join(
        "",
        "{}",
        ((_bar(bar, x=LEFT + i * step, width=step, scale=scale),) for i, bar in enumerate(bars)),
    )
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="10" text-anchor="middle" fill="{}">{}</text>',
        (
            (_number(LEFT + (i + 0.5) * step), HEIGHT - 6, AXIS, bar.label)
            for i, bar in enumerate(bars)
            if i % every == 0
        ),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{caption}">'
        "<title>{caption}</title>"
        '<line x1="{left}" y1="{base}" x2="{w}" y2="{base}" stroke="{axis}"/>'
        '<text x="{tx}" y="{ty}" font-size="10" text-anchor="end" fill="{axis}">{top}{unit}</text>'
        '<text x="{tx}" y="{base}" font-size="10" text-anchor="end" fill="{axis}">0{unit}</text>'
        "{drawn}{labels}</svg>",
        w=WIDTH,
        h=HEIGHT,
        caption=caption,
        left=LEFT,
        base=HEIGHT - BOTTOM,
        axis=AXIS,
        tx=LEFT - 4,
        ty=TOP + 8,
        top=_number(top),
        unit=unit,
        drawn=drawn,
        labels=labels,
    )


def _bar(bar: Bar, *, x: float, width: float, scale: float) -> SafeString:
    base = HEIGHT - BOTTOM
    whole, alert = bar.value * scale, min(bar.alert, bar.value) * scale
    inner = width * 0.8
    return format_html(
        '<g><title>{title}</title><rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{plain}"/>'
        '<rect x="{x}" y="{ay}" width="{w}" height="{ah}" fill="{alert_colour}"/></g>',
        title=bar.title or f"{bar.label}: {_number(bar.value)}",
        x=_number(x + (width - inner) / 2),
        y=_number(base - whole),
        w=_number(inner),
        h=_number(whole - alert),
        plain=PLAIN,
        ay=_number(base - alert),
        ah=_number(alert),
        alert_colour=ALERT,
    )


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")

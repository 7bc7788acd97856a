"""Small server-side SVG charts (no JavaScript, nothing fetched): bars and stacked bars.

A chart is drawn at the size it is shown: the SVG has no viewBox, so its text keeps its
pixel size (FONT) at any width, while bar lengths and positions are percentages of the
width the page gives it (a phone's column or a desk's). Each label stands on its own
lines above its bar, wrapped (never cut) to fit the narrowest width. A visible legend
(HTML, read by screen readers too) follows the SVG when a chart has parts or marks.

Every label is escaped; the result is safe to embed in a page as markup.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from decimal import Decimal
from html import escape

Number = int | Decimal | float
BAR = "#0059b3"
MARK = "#b00020"
COLOURS = ("#008139", "#7f7f7f", "#b00020")  # forward, unchanged, setback
FONT = 14  # px at the displayed size (no viewBox: one user unit is one pixel)
LINE = 18  # px per label line
BAR_H = 18  # px, the bar's thickness
GAP = 12  # px between one item's bar and the next item's label
PLOT = 75.0  # % of the width the longest bar (or mark) reaches; its value stands beyond
WRAP = 34  # characters per label line: fits a 300 px column at FONT
LEGEND_KEY = 14  # px, the legend's colour keys


def _plain(value: Number) -> str:
    return f"{Decimal(str(value)):f}".replace(".", ",")


def wrap(label: str, width: int = WRAP) -> list[str]:
    """The label on lines of at most `width` characters (long words broken, nothing cut)."""
    return textwrap.wrap(label, width, break_long_words=True, break_on_hyphens=True) or [""]


def _label(y: float, label: str) -> tuple[str, float]:
    """A wrapped label whose first line's top is at y: its markup and the y below it."""
    lines = wrap(label)
    spans = "".join(
        f'<tspan x="0" dy="{LINE if n else 0}">{escape(line)}</tspan>'
        for n, line in enumerate(lines)
    )
    text = f'<text x="0" y="{y + FONT:.0f}" font-size="{FONT}" class="chart-label">{spans}</text>'
    return text, y + len(lines) * LINE + 2


def _value(x_percent: float, y: float, text: str) -> str:
    return (
        f'<text x="{x_percent:.2f}%" dx="6" y="{y + BAR_H - 4:.0f}" font-size="{FONT}" '
        f'class="chart-value">{escape(text)}</text>'
    )


def _svg(height: float, title: str, body: list[str]) -> str:
    t = escape(title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="{height:.0f}" '
        f'role="img" aria-label="{t}" class="chart"><title>{t}</title>{"".join(body)}</svg>'
    )


def _key(kind: str, colour: str) -> str:
    """A legend's key: a filled square (a bar's colour) or an upright line (a mark)."""
    size = LEGEND_KEY
    shape = (
        f'<rect width="{size}" height="{size}" fill="{colour}"/>'
        if kind == "bar"
        else f'<line x1="{size / 2}" x2="{size / 2}" y1="0" y2="{size}" '
        f'stroke="{colour}" stroke-width="3"/>'
    )
    return (
        f'<svg class="chart-key" width="{size}" height="{size}" aria-hidden="true" '
        f'focusable="false">{shape}</svg>'
    )


def legend(entries: Sequence[tuple[str, str, str]]) -> str:
    """A visible legend: (kind "bar" or "mark", colour, Danish text) per entry."""
    items = "".join(
        f"<li>{_key(kind, colour)}<span>{escape(text)}</span></li>"
        for kind, colour, text in entries
    )
    return f'<ul class="chart-legend nobullet-list">{items}</ul>'


def _percent(value: Number, scale_max: float) -> float:
    return PLOT * float(value) / scale_max if scale_max else 0.0


def bar_chart(
    title: str,
    items: Sequence[tuple[str, Number]],
    fmt: Callable[[Number], str] = _plain,
    marks: Sequence[Number | None] | None = None,
    *,
    bar_label: str = "",
    mark_label: str = "Kapacitet",
) -> str:
    """Horizontal bars, one per (label, value); `marks` draws a red capacity line per bar.

    With marks (or a `bar_label`) a legend names the bars and the red line.
    """
    scale_max = max([float(v) for _, v in items] + [float(m) for m in (marks or []) if m] + [0])
    body: list[str] = []
    y = 0.0
    for i, (label, value) in enumerate(items):
        text, y = _label(y, str(label))
        length = _percent(value, scale_max)
        body.append(
            f'{text}<rect x="0" y="{y:.0f}" width="{length:.2f}%" height="{BAR_H}" '
            f'fill="{BAR}"><title>{escape(str(label))}: {escape(fmt(value))}</title></rect>'
        )
        mark = marks[i] if marks and i < len(marks) else None
        end = length
        if mark and scale_max:
            x = _percent(mark, scale_max)
            body.append(
                f'<line x1="{x:.2f}%" x2="{x:.2f}%" y1="{y - 3:.0f}" y2="{y + BAR_H + 3:.0f}" '
                f'stroke="{MARK}" stroke-width="3"><title>{escape(mark_label)}: '
                f"{escape(fmt(mark))}</title></line>"
            )
            end = max(end, x)
        body.append(_value(end, y, fmt(value)))
        y += BAR_H + GAP
    if not items:
        body.append(f'<text x="0" y="{FONT + 2}" font-size="{FONT}">Ingen data</text>')
        y = LINE + 6
    keys = []
    if marks and items:
        keys = [("bar", BAR, bar_label or "Værdi"), ("mark", MARK, f"Rød streg: {mark_label}")]
    elif bar_label and items:
        keys = [("bar", BAR, bar_label)]
    return _svg(y, title, body) + (legend(keys) if keys else "")


def stacked_bars(
    title: str,
    items: Sequence[tuple[str, Sequence[int]]],
    parts_legend: Sequence[str],
) -> str:
    """One horizontal bar per item, split into parts (e.g. forward/unchanged/setback)."""
    totals = [sum(parts) for _, parts in items]
    scale_max = float(max([*totals, 0]))
    body: list[str] = []
    y = 0.0
    for (label, parts), total in zip(items, totals, strict=True):
        text, y = _label(y, str(label))
        body.append(text)
        x = 0.0
        for part, colour, name in zip(parts, COLOURS, parts_legend, strict=False):
            length = _percent(part, scale_max)
            body.append(
                f'<rect x="{x:.2f}%" y="{y:.0f}" width="{length:.2f}%" height="{BAR_H}" '
                f'fill="{colour}"><title>{escape(name)}: {part}</title></rect>'
            )
            x += length
        body.append(_value(x, y, str(total)))
        y += BAR_H + GAP
    if not items:
        body.append(f'<text x="0" y="{FONT + 2}" font-size="{FONT}">Ingen data</text>')
        y = LINE + 6
    keys = [("bar", colour, name) for name, colour in zip(parts_legend, COLOURS, strict=False)]
    return _svg(y, title, body) + legend(keys)

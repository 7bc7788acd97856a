"""Small server-side SVG charts (no JavaScript, nothing fetched): bars and stacked bars.

Every label is escaped; the result is safe to embed in a page as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from html import escape

Number = int | Decimal | float
BAR = "#0059b3"
COLOURS = ("#008139", "#7f7f7f", "#b00020")  # forward, unchanged, setback
ROW, LABEL_W, VALUE_W, GAP = 26, 230, 90, 6


def _plain(value: Number) -> str:
    return f"{Decimal(str(value)):f}".replace(".", ",")


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    t = escape(title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{t}" class="chart">'
        f"<title>{t}</title>{''.join(body)}</svg>"
    )


def bar_chart(
    title: str,
    items: Sequence[tuple[str, Number]],
    fmt: Callable[[Number], str] = _plain,
    width: int = 640,
    marks: Sequence[Number | None] | None = None,
) -> str:
    """Horizontal bars, one per (label, value); `marks` draws a capacity line per bar."""
    scale_max = max([float(v) for _, v in items] + [float(m) for m in (marks or []) if m] + [0])
    plot = width - LABEL_W - VALUE_W
    body = []
    for i, (label, value) in enumerate(items):
        y = i * ROW
        length = plot * float(value) / scale_max if scale_max else 0
        body.append(
            f'<text x="{LABEL_W - GAP}" y="{y + ROW * 0.65:.1f}" text-anchor="end" '
            f'font-size="13">{escape(str(label))}</text>'
            f'<rect x="{LABEL_W}" y="{y + 4}" width="{length:.1f}" height="{ROW - 8}" fill="{BAR}">'
            f"<title>{escape(str(label))}: {escape(fmt(value))}</title></rect>"
            f'<text x="{LABEL_W + length + GAP:.1f}" y="{y + ROW * 0.65:.1f}" '
            f'font-size="13">{escape(fmt(value))}</text>'
        )
        mark = marks[i] if marks and i < len(marks) else None
        if mark and scale_max:
            x = LABEL_W + plot * float(mark) / scale_max
            body.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y + 1}" y2="{y + ROW - 1}" '
                f'stroke="#b00020" stroke-width="2"><title>Kapacitet: {escape(fmt(mark))}'
                f"</title></line>"
            )
    if not items:
        body.append(f'<text x="10" y="{ROW * 0.65}" font-size="13">Ingen data</text>')
    return _svg(width, max(len(items), 1) * ROW + 4, title, body)


def stacked_bars(
    title: str,
    items: Sequence[tuple[str, Sequence[int]]],
    legend: Sequence[str],
    width: int = 640,
) -> str:
    """One horizontal bar per item, split into parts (e.g. forward/unchanged/setback)."""
    totals = [sum(parts) for _, parts in items]
    scale_max = max([*totals, 0])
    plot = width - LABEL_W - VALUE_W
    body = []
    for i, (label, parts) in enumerate(items):
        y = (i + 1) * ROW
        x = float(LABEL_W)
        body.append(
            f'<text x="{LABEL_W - GAP}" y="{y + ROW * 0.65:.1f}" text-anchor="end" '
            f'font-size="13">{escape(_short(str(label)))}<title>{escape(str(label))}</title></text>'
        )
        for n, (part, colour) in enumerate(zip(parts, COLOURS, strict=False)):
            length = plot * part / scale_max if scale_max else 0
            body.append(
                f'<rect x="{x:.1f}" y="{y + 4}" width="{length:.1f}" height="{ROW - 8}" '
                f'fill="{colour}"><title>{escape(legend[n])}: {part}</title></rect>'
            )
            x += length
        body.append(
            f'<text x="{x + GAP:.1f}" y="{y + ROW * 0.65:.1f}" font-size="13">{totals[i]}</text>'
        )
    legend_x = 0
    for name, colour in zip(legend, COLOURS, strict=False):
        body.append(
            f'<rect x="{legend_x}" y="4" width="12" height="12" fill="{colour}"/>'
            f'<text x="{legend_x + 16}" y="15" font-size="13">{escape(name)}</text>'
        )
        legend_x += 30 + 8 * len(name)
    if not items:
        body.append(f'<text x="10" y="{ROW * 1.65}" font-size="13">Ingen data</text>')
    return _svg(width, (max(len(items), 1) + 1) * ROW + 4, title, body)


def _short(text: str, limit: int = 32) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

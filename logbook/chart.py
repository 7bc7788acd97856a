"""Sub-goal progress over time as plain numbers for a small server-rendered SVG chart."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

# The legend repeats these in static/logbook.css (.lb-c0 … .lb-c5): keep them in step.
COLOURS = ("#0059b3", "#b35900", "#008040", "#8a2be2", "#b51d09", "#5c5c5c")
# The chart is shown at its own width (never scaled up, and at 320 px it fits a phone's
# column), so its text is this many pixels on the screen.
FONT = 13


def progress_series(entries: Sequence, goals: Sequence) -> list[dict]:
    """Per sub-goal: [(date, cumulative progress)] from entries linked to it, oldest first.

    `entries` have `occurred_on`, `sub_goal_ids`, `progress`; `goals` have `id`, `title`.
    """
    ordered = sorted(entries, key=lambda e: (e.occurred_on, e.id or 0))
    series = []
    for goal in goals:
        total, points = 0, []
        for e in ordered:
            if goal.id in (e.sub_goal_ids or []) and e.progress is not None:
                total += e.progress
                points.append((e.occurred_on, total))
        series.append({"goal_id": goal.id, "title": goal.title, "points": points})
    return series


def chart(series: list[dict], width: int = 320, height: int = 140, pad: int = 24) -> dict | None:
    """Scale the series into an SVG box; None when there is nothing to draw."""
    days = [d for s in series for d, _ in s["points"]]
    if not days:
        return None
    values = [v for s in series for _, v in s["points"]] + [0]
    first, last = min(days), max(days)
    low, high = min(values), max(values)
    span_days = max((last - first).days, 1)
    span_values = max(high - low, 1)

    def x(day: date) -> float:
        return round(pad + (day - first).days / span_days * (width - 2 * pad), 1)

    def y(value: int) -> float:
        return round(height - pad - (value - low) / span_values * (height - 2 * pad), 1)

    lines = []
    for n, s in enumerate(series):
        if not s["points"]:
            continue
        coords = [(x(d), y(v)) for d, v in s["points"]]
        lines.append(
            {
                "title": s["title"],
                "colour": COLOURS[n % len(COLOURS)],
                "index": n % len(COLOURS),  # the legend's class lb-c<index> (static/logbook.css)
                "points": " ".join(f"{a},{b}" for a, b in coords),
                "dots": coords,
                "last": s["points"][-1][1],
            }
        )
    return {
        "width": width,
        "height": height,
        "pad": pad,
        "font": FONT,
        "zero_y": y(0),
        "first": first,
        "last": last,
        "low": low,
        "high": high,
        "lines": lines,
    }

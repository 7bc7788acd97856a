"""The key-figure charts are legible where they are shown (issue 13, item 10).

The SVG is parsed: every text's font size at the displayed width (a viewBox scales it by
displayed width / viewBox width) must be at least 12 px, on a phone's column and on a
desk's; long labels are wrapped onto several lines, never cut with "…"; the red capacity
marks and the parts of stacked bars are named in a visible legend.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from logbook.chart import chart, progress_series
from reports.core import charts

PHONE_COLUMN = 300  # px: the narrowest column a chart is shown in (a 390 px phone, padded)
DESK_COLUMN = 640
LONG = "Kunne tage bussen alene til praktikstedet i Ringsted hver morgen kl. 7.30"


def fragments(markup: str) -> BeautifulSoup:
    return BeautifulSoup(markup, "html.parser")


def displayed_font_sizes(svg, displayed_width: float) -> list[float]:
    """Each text's font size in screen pixels when the SVG is shown `displayed_width` wide."""
    scale = 1.0  # no viewBox: one user unit is one pixel at any width
    if svg.get("viewbox"):
        shown = displayed_width
        if svg.get("width", "100%").isdigit():  # a fixed width is never exceeded
            shown = min(shown, float(svg["width"]))
        scale = shown / float(svg["viewbox"].split()[2])
    sizes = []
    for text in svg.find_all("text"):
        size = text.get("font-size") or next(
            (p.get("font-size") for p in text.parents if p.get("font-size")), "16"
        )
        sizes.append(float(size) * scale)
    return sizes


def caseload():
    return charts.bar_chart(
        "Forløb pr. mentor",
        [("Nadia Rasmussen", 4), ("Mikkel Holm-Andersen", 6)],
        str,
        marks=[5, 5],
        bar_label="Forløb",
    )


def progress():
    return charts.stacked_bars(
        "Udvikling pr. delmål",
        [(LONG, (3, 1, 1)), ("Møde stabilt", (1, 0, 0))],
        ["Fremskridt", "Uændret", "Tilbageskridt"],
    )


@pytest.mark.parametrize("width", [PHONE_COLUMN, DESK_COLUMN])
@pytest.mark.parametrize("make", [caseload, progress])
def test_text_is_at_least_12_px_where_shown(make, width):
    svg = fragments(make()).svg
    sizes = displayed_font_sizes(svg, width)
    assert sizes and min(sizes) >= 12, sizes


def test_long_labels_are_wrapped_not_cut():
    svg = fragments(progress()).svg
    label = svg.find("text", class_="chart-label")
    lines = [span.get_text() for span in label.find_all("tspan")]
    assert len(lines) >= 2 and all(len(line) <= charts.WRAP for line in lines)
    assert " ".join(lines) == LONG
    assert "…" not in svg.get_text()
    # The lines stand under each other, not on top of each other.
    assert [span["dy"] for span in label.find_all("tspan")][1:] == [str(charts.LINE)] * (
        len(lines) - 1
    )


def test_a_single_long_word_is_broken_not_cut():
    word = "Arbejdsmarkedsparathedsvurderingsmødeforberedelse"
    assert "".join(charts.wrap(word)) == word


def test_capacity_marks_are_named_in_a_visible_legend():
    page = fragments(caseload())
    keys = page.select("ul.chart-legend li")
    texts = [li.get_text(strip=True) for li in keys]
    assert texts == ["Forløb", "Rød streg: Kapacitet"]
    assert keys[1].select_one("svg line")["stroke"] == charts.MARK
    assert page.svg.select("line[stroke='#b00020']")  # the marks themselves


def test_stacked_bars_name_their_parts():
    texts = [li.get_text(strip=True) for li in fragments(progress()).select(".chart-legend li")]
    assert texts == ["Fremskridt", "Uændret", "Tilbageskridt"]


def test_charts_escape_labels():
    svg = charts.bar_chart("Timer", [("<b>&", 3), ("B", 0)], str, marks=[4, 1])
    assert svg.startswith("<svg") and "&lt;b&gt;&amp;" in svg and "<b>" not in svg
    chart_part = fragments(svg).svg
    assert len(chart_part.find_all("rect")) == 2 and len(chart_part.find_all("line")) == 2
    assert "Ingen data" in charts.bar_chart("x", [])


def test_logbook_progress_chart_text_is_legible():
    goals = [SimpleNamespace(id=1, title=LONG)]
    entries = [
        SimpleNamespace(id=n, occurred_on=date(2026, 6, d), sub_goal_ids=[1], progress=1)
        for n, d in enumerate((2, 9, 12), start=1)
    ]
    drawn = chart(progress_series(entries, goals))
    assert drawn is not None
    # Shown at its own width (width attribute = viewBox width, CSS max-width: 100%).
    scale = min(PHONE_COLUMN, drawn["width"]) / drawn["width"]
    assert drawn["font"] * scale >= 12

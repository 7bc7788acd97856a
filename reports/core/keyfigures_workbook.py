"""The monthly key figures as a workbook: Nøgletal, Delmål, Mentorer. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, BinaryIO

from openpyxl import Workbook

from reports.core.danish import local_naive, month_name, utc_naive
from reports.core.delivery_figures import PROGRESS_LABELS
from reports.core.keyfigures import KeyFigures
from reports.core.money import CATEGORY_LABELS
from reports.core.referral_figures import STALE_DAYS
from reports.core.tables import HOURS, INT, SHARE, TEXT, CellValue
from reports.core.xlsxcells import BOLD, TITLE, RowWriter, text_cell

# A write-only sheet; openpyxl's stubs lack its column_dimensions and auto_filter.
Sheet = Any


def _summary_rows(
    kf: KeyFigures, outcome_labels: Mapping[str, str]
) -> list[tuple[str, CellValue, str]]:
    """(label, value, kind) rows of the Nøgletal sheet."""
    ev = kf.evidence
    rows: list[tuple[str, CellValue, str]] = [
        ("Borgere med aktiv mentor", kf.active_with_mentor, INT),
        ("Henvisninger, der venter på mentor", kf.waiting, INT),
        ("Mentorer tildelt i måneden", kf.assigned_in_month, INT),
        ("Median arbejdsdage fra henvisning til mentor", kf.median_days_to_mentor, HOURS),
        (f"Forløb uden logbogsnotat i {STALE_DAYS} dage", kf.stale, INT),
        ("Timer i alt", kf.total_hours, HOURS),
        *((f"Timer: {CATEGORY_LABELS[c]}", h, HOURS) for c, h in kf.hours_by_category.items()),
        ("Borgere med registreret tid", kf.citizen_hours.citizens, INT),
        ("Gennemsnitlige timer pr. borger", kf.citizen_hours.mean, HOURS),
        ("Median timer pr. borger", kf.citizen_hours.median, HOURS),
        ("Kontakttimer dokumenteret med logbogsnotat (andel)", ev.backed_share, SHARE),
        ("Heraf vist for borgeren (andel)", ev.shown_share, SHARE),
        ("Borgere med udokumenterede kontakttimer", ev.citizens_incomplete, INT),
        *((f"Afsluttet: {outcome_labels.get(o, o)}", n, INT) for o, n in kf.outcomes.items()),
        *((f"Udvikling: {PROGRESS_LABELS[p]}", n, INT) for p, n in kf.progress_totals.items()),
    ]
    return rows


def write_key_figures_workbook(
    out: BinaryIO,
    kf: KeyFigures,
    *,
    created_at: datetime,
    created_by: str,
    outcome_labels: Mapping[str, str],
) -> None:
    """Key figures as a write-only workbook: Nøgletal, Delmål, Mentorer; text stays text."""
    wb = Workbook(write_only=True)
    _summary_sheet(wb.create_sheet("Nøgletal"), kf, created_at, created_by, outcome_labels)
    _goals_sheet(wb.create_sheet("Delmål"), kf)
    _mentors_sheet(wb.create_sheet("Mentorer"), kf)
    wb.properties.creator = created_by
    wb.properties.title = f"Nøgletal {month_name(kf.month)}"
    wb.properties.created = wb.properties.modified = utc_naive(created_at)
    wb.save(out)


def _summary_sheet(
    ws: Sheet,
    kf: KeyFigures,
    created_at: datetime,
    created_by: str,
    outcome_labels: Mapping[str, str],
) -> None:
    ws.column_dimensions["A"].width = 55
    ws.column_dimensions["B"].width = 18
    ws.append([text_cell(ws, f"Nøgletal – {month_name(kf.month)}", TITLE)])
    ws.append([text_cell(ws, "Opgjort pr."), text_cell(ws, kf.as_of.strftime("%d-%m-%Y"))])
    ws.append([text_cell(ws, "Udarbejdet af"), text_cell(ws, created_by)])
    ws.append(
        [
            text_cell(ws, "Udarbejdet"),
            text_cell(ws, local_naive(created_at).strftime("%d-%m-%Y %H:%M")),
        ]
    )
    ws.append([])
    for label, value, kind in _summary_rows(kf, outcome_labels):
        RowWriter(ws, [TEXT, kind]).append((label, value))


def _goals_sheet(goals: Sheet, kf: KeyFigures) -> None:
    goals.column_dimensions["A"].width = 60
    goals.freeze_panes = "A2"
    goals.append(
        [text_cell(goals, h, BOLD) for h in ("Delmål", *PROGRESS_LABELS.values(), "I alt")]
    )
    writer = RowWriter(goals, [TEXT, INT, INT, INT, INT])
    for g in kf.progress:
        writer.append((g.title, g.forward, g.unchanged, g.setback, g.total))
    goals.auto_filter.ref = f"A1:E{len(kf.progress) + 1}"


def _mentors_sheet(loads: Sheet, kf: KeyFigures) -> None:
    loads.column_dimensions["A"].width = 30
    loads.freeze_panes = "A2"
    headers = ("Mentor", "Forløb", "Kapacitet", "Belægning (andel)")
    loads.append([text_cell(loads, h, BOLD) for h in headers])
    writer = RowWriter(loads, [TEXT, INT, INT, SHARE])
    for row in kf.caseloads:
        writer.append((row.name, row.caseload, row.capacity, row.utilisation))
    loads.auto_filter.ref = f"A1:D{len(kf.caseloads) + 1}"

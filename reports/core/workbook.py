"""The refund workbook (Oversigt, Borgere, Registreringer), streamed in write-only mode."""

from collections.abc import Callable, Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from os import PathLike
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from reports.core.danish import local_naive, long_date, period, utc_naive, yes_no
from reports.core.evidence import Evidence
from reports.core.money import CATEGORIES, CATEGORY_LABELS
from reports.core.refund import DEFAULT_RULE, RefundReport
from reports.core.tables import (
    CITIZEN,
    ENTRY_COLUMNS,
    HOURS,
    INT,
    MONEY,
    ROW_ROUNDING_NOTE,
    TOTALS_NOTE,
    TRAINING,
    CellValue,
    Column,
    EntryRow,
    citizen_columns,
    citizen_table,
    entry_values,
)
from reports.core.xlsxcells import (
    BOLD,
    DATETIME_FORMAT,
    NUMBER_FORMATS,
    TITLE,
    RowWriter,
    SheetStream,
    number_cell,
    text_cell,
)

PROGRESS_EVERY = 1000
NOTES = (
    "Mentorens egen transport registreres, men refunderes aldrig.",
    ROW_ROUNDING_NOTE,
    TOTALS_NOTE,
)


@dataclass(frozen=True)
class WorkbookMeta:
    """Who made the workbook, when, and for which claim (None: not yet claimed)."""

    created_at: datetime
    created_by: str
    claim_id: int | None = None


# A write-only sheet; openpyxl's stubs lack its column_dimensions and auto_filter.
Sheet = Any
# An Oversigt line: label, value and number format (None: text).
Line = tuple[str, CellValue, str | None]


def _start_table(ws: Sheet, columns: tuple[Column, ...], freeze: str) -> None:
    """Widths and frozen panes (before any row, as write-only mode needs), then headers."""
    for index, column in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = freeze
    ws.append([text_cell(ws, column.header, BOLD) for column in columns])


def _set_filter(ws: Sheet, columns: tuple[Column, ...], last_row: int) -> None:
    """Autofilter over the header and the data rows (written at close in write-only mode)."""
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last_row}"


def _write_entries(
    ws: Sheet,
    report: RefundReport,
    entries: Iterable[EntryRow],
    progress: Callable[[int], None] | None,
) -> tuple[int, int]:
    """Stream every entry through a SheetStream; returns (entries written, minutes written)."""
    for index, column in enumerate(ENTRY_COLUMNS, 1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"
    rows = SheetStream(ws, [column.kind for column in ENTRY_COLUMNS])
    rows.header([column.header for column in ENTRY_COLUMNS], BOLD)
    refundable = report.rule.refundable
    count = minutes = 0
    for entry in entries:
        rows.append(entry_values(entry, refundable))
        count += 1
        minutes += entry.minutes
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    if progress is not None and count % PROGRESS_EVERY:
        progress(count)
    _set_filter(ws, ENTRY_COLUMNS, count + 1)
    return count, minutes


def _write_citizens(
    ws: Sheet, report: RefundReport, evidence: Mapping[int, Evidence] | None
) -> None:
    """One row per citizen, a blank row, training and the totals row."""
    columns = citizen_columns(evidence is not None)
    _start_table(ws, columns, "C2")
    kinds = [column.kind for column in columns]
    plain, bold = RowWriter(ws, kinds), RowWriter(ws, kinds, BOLD)
    for row_kind, values in citizen_table(report, evidence):
        if row_kind == TRAINING:
            ws.append([])  # keeps the summary rows out of the filtered and sorted range
        (plain if row_kind == CITIZEN else bold).append(values)
    _set_filter(ws, columns, len(report.rows) + 1)


def _rule_lines(report: RefundReport) -> list[Line]:
    """The refund rule used, as (label, value, number format or None for text) lines."""
    rule = report.rule
    rate_format = "0%" if (rule.rate * 100) == (rule.rate * 100).to_integral() else "0.00%"
    refundable = [CATEGORY_LABELS[c] for c in CATEGORIES if c in rule.refundable]
    excluded = [CATEGORY_LABELS[c] for c in CATEGORIES if c not in rule.refundable]
    valid = "standardregel" if rule is DEFAULT_RULE else long_date(rule.valid_from)
    return [
        ("Refusionssats", rule.rate, rate_format),
        ("Regel gældende fra", valid, None),
        ("Refusionsberettigede kategorier", ", ".join(refundable) or "ingen", None),
        ("Ikke refusionsberettigede kategorier", ", ".join(excluded), None),
    ]


def _who_lines(report: RefundReport, meta: WorkbookMeta) -> list[Line]:
    """Period, claim status, when and by whom."""
    claim = f"Refusionskrav nr. {meta.claim_id}" if meta.claim_id else "Foreløbig (ikke låst)"
    return [
        ("Periode", period(report.start, report.end), None),
        ("Status", claim, None),
        ("Udarbejdet", local_naive(meta.created_at), DATETIME_FORMAT),
        ("Udarbejdet af", meta.created_by, None),
    ]


def _money_lines(report: RefundReport, written: tuple[int, int]) -> list[Line | None]:
    """Training, totals and the check that the entries add up to the citizen rows."""
    totals = report.totals
    minutes = sum(sum(row.minutes_by_category.values()) for row in report.rows)
    money, hours, count = NUMBER_FORMATS[MONEY], NUMBER_FORMATS[HOURS], NUMBER_FORMATS[INT]
    return [
        ("Uddannelse af mentorer, udgift", report.training_cost, money),
        ("Uddannelse af mentorer, refusion", report.training_refund, money),
        None,
        ("Antal borgere", len(report.rows), count),
        ("Refusionsberettigede timer", totals.hours, hours),
        ("Ikke-refusionsberettigede timer", totals.non_refundable_hours, hours),
        ("Udgift i alt (inkl. uddannelse)", totals.cost, money),
        ("Refusion i alt (inkl. uddannelse)", totals.refund, money),
        ("Antal registreringer", written[0], count),
        ("Registreringernes minutter stemmer med borgerne", yes_no(written[1] == minutes), None),
    ]


def _evidence_lines(report: RefundReport, evidence: Mapping[int, Evidence] | None) -> list[Line]:
    """How many of the report's citizens lack documentation (nothing without evidence)."""
    if evidence is None:
        return []
    cited = {row.citizen_id for row in report.rows}
    missing = sum(1 for e in evidence.values() if e.citizen_id in cited and not e.complete)
    return [("Borgere med manglende dokumentation", missing, NUMBER_FORMATS[INT])]


def _overview_lines(
    report: RefundReport,
    meta: WorkbookMeta,
    evidence: Mapping[int, Evidence] | None,
    written: tuple[int, int],
) -> list[Line | None]:
    """Every line of Oversigt below the title, as (label, value, number format or None)."""
    return [
        *_who_lines(report, meta),
        None,
        *_rule_lines(report),
        None,
        *_money_lines(report, written),
        *_evidence_lines(report, evidence),
    ]


def _write_overview(
    ws: Sheet,
    report: RefundReport,
    meta: WorkbookMeta,
    evidence: Mapping[int, Evidence] | None,
    written: tuple[int, int],
) -> None:
    """Title, period, who and when, the rule used, training, totals and notes."""
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 70
    ws.append([text_cell(ws, "Refusionsopgørelse – mentorkorps", TITLE)])
    ws.append([])
    for line in _overview_lines(report, meta, evidence, written):
        if line is None:
            ws.append([])
            continue
        label, value, number_format = line
        cell = (
            text_cell(ws, value) if number_format is None else number_cell(ws, value, number_format)
        )
        ws.append([text_cell(ws, label, BOLD), cell])
    ws.append([])
    for note in NOTES:
        ws.append([text_cell(ws, note)])


def _close_quietly(wb: Workbook) -> None:
    """End every sheet's stream and temporary file, ignoring what the abort left half-done."""
    for ws in wb.worksheets:
        with suppress(Exception):
            ws.close()


def write_refund_workbook(
    out: BinaryIO | str | PathLike[str],
    report: RefundReport,
    entries: Iterable[EntryRow],
    meta: WorkbookMeta,
    evidence: Mapping[int, Evidence] | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the refund workbook to a path or binary stream; returns the entries written."""
    wb = Workbook(write_only=True)
    overview = wb.create_sheet("Oversigt")
    citizens = wb.create_sheet("Borgere")
    entries_ws = wb.create_sheet("Registreringer")
    try:
        # Entries first: Oversigt reports their count, and sheets stream independently.
        written = _write_entries(entries_ws, report, entries, progress)
        _write_citizens(citizens, report, evidence)
        _write_overview(overview, report, meta, evidence, written)
    except BaseException:
        _close_quietly(wb)  # a write stopped midway (e.g. by `progress`) leaves nothing open
        raise
    wb.properties.creator = meta.created_by
    wb.properties.title = f"Refusionsopgørelse {period(report.start, report.end)}"
    wb.properties.created = wb.properties.modified = utc_naive(meta.created_at)
    wb.save(out)
    return written[0]

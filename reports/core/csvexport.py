"""CSV for Danish Excel: ';' separated, decimal comma, UTF-8 with BOM, no formula injection."""

import csv
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, TextIO

from reports.core.evidence import Evidence
from reports.core.refund import RefundReport
from reports.core.tables import (
    DATE,
    ENTRY_COLUMNS,
    TEXT,
    CellValue,
    Column,
    EntryRow,
    citizen_columns,
    citizen_table,
    entry_values,
)

BOM = "\ufeff"  # Excel reads the file as UTF-8 only with it
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP CSV injection


def neutralise(text: str) -> str:
    """Prefix "'" to text a spreadsheet would run as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def danish_cpr(cpr: str) -> str:
    """CPR as DDMMÅÅ-NNNN, which Excel keeps as text (a bare 0101901234 loses its zero)."""
    if len(cpr) == 10 and cpr.isascii() and cpr.isdigit():
        return f"{cpr[:6]}-{cpr[6:]}"
    return cpr


def render(kind: str, value: object) -> str:
    """A typed value as Danish Excel reads it; only text is neutralised."""
    if value is None:
        return ""
    if kind == TEXT:
        return neutralise(str(value))
    if kind == DATE and isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    return str(value)


def _writer(out: TextIO, columns: tuple[Column, ...]) -> Any:
    """A ';' writer that has already written the BOM and the header."""
    out.write(BOM)
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(column.header) for column in columns])
    return writer


def _row(columns: tuple[Column, ...], values: tuple[CellValue, ...]) -> list[str]:
    """Render a row's values by their columns' kinds."""
    return [render(column.kind, value) for column, value in zip(columns, values, strict=False)]


def write_refund_csv(
    out: TextIO, report: RefundReport, evidence: Mapping[int, Evidence] | None = None
) -> None:
    """The Borgere rows as CSV; `out` is a text stream opened with newline=""."""
    columns = citizen_columns(evidence is not None)
    writer = _writer(out, columns)
    for _kind, values in citizen_table(report, evidence):
        cpr = danish_cpr(str(values[0])) if values[0] else values[0]
        writer.writerow(_row(columns, (cpr, *values[1:])))


def write_entries_csv(out: TextIO, report: RefundReport, entries: Iterable[EntryRow]) -> int:
    """Every entry as CSV, streamed; returns the number written."""
    writer = _writer(out, ENTRY_COLUMNS)
    count = 0
    for entry in entries:
        values = entry_values(entry, report.rule.refundable)
        writer.writerow(_row(ENTRY_COLUMNS, (values[0], danish_cpr(str(values[1])), *values[2:])))
        count += 1
    return count

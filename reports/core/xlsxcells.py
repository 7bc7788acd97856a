"""Typed write-only cells: text is always a string cell, numbers carry a number format."""

from collections.abc import Generator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from lxml.etree import fromstring
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from reports.core.tables import DATE, HOURS, INT, MONEY, SHARE, TEXT, CellValue

NUMBER_FORMATS = {
    INT: "#,##0",
    HOURS: "0.00",
    MONEY: '#,##0.00 "kr."',
    SHARE: "0.00%",  # two decimals: 99.99 % must not display as 100 %
    DATE: "dd-mm-yyyy",
}
DATETIME_FORMAT = "dd-mm-yyyy hh:mm"
MAX_TEXT = 32_767  # Excel's limit per cell; longer text makes Excel "repair" the file
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)


def clean_text(value: object) -> str:
    """Text Excel accepts: control characters become spaces, overlong text is cut."""
    text = ILLEGAL_CHARACTERS_RE.sub(" ", str(value))
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1] + "…"
    return text


def text_cell(ws: WriteOnlyWorksheet, value: object, font: Font | None = None) -> Cell:
    """A string cell, whatever the text looks like ("=…", "#N/A", "0101901234")."""
    cell = WriteOnlyCell(ws, clean_text(value))
    # openpyxl infers "=…" as a formula and "#N/A" as an error; force a plain string.
    cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


def number_cell(
    ws: WriteOnlyWorksheet, value: CellValue, number_format: str, font: Font | None = None
) -> Cell:
    """A numeric or date cell with a number format."""
    cell = WriteOnlyCell(ws)
    cell.value = value
    cell.number_format = number_format
    if font is not None:
        cell.font = font
    return cell


def text_value(ws: WriteOnlyWorksheet, value: object, font: Font | None = None) -> str | Cell:
    """Text to append: a plain str when openpyxl provably keeps it text, else a string cell."""
    text = clean_text(value)
    # openpyxl infers a non-string only from "=…" (formula) and "#…" (error codes).
    if font is None and not text.startswith(("=", "#")):
        return text
    return text_cell(ws, text, font)


class RowWriter:
    """Appends rows of typed values to a write-only sheet, fast.

    Each numeric column reuses one styled cell: a write-only append serialises the row
    before it returns, so the cell is free again for the next row (building and styling
    a fresh cell per value tripled the time per row).
    """

    def __init__(
        self, ws: WriteOnlyWorksheet, kinds: Sequence[str], font: Font | None = None
    ) -> None:
        """Prepare one styled cell per numeric column."""
        self.ws, self.kinds, self.font = ws, tuple(kinds), font
        self.cells = [
            None if kind == TEXT else number_cell(ws, None, NUMBER_FORMATS[kind], font)
            for kind in self.kinds
        ]

    def append(self, values: Sequence[CellValue]) -> None:
        """Append one row; None leaves a cell empty, text always stays text."""
        row: list[object] = []
        for cell, value in zip(self.cells, values, strict=False):
            if value is None:
                row.append(None)
            elif cell is None:
                row.append(text_value(self.ws, value, self.font))
            else:
                cell.value = value
                row.append(cell)
        self.ws.append(row)


EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's 1900 date system (past its leap bug)
_TEXT_CACHE = 4096  # distinct texts kept escaped (names, CPR, categories repeat)


def excel_serial(day: date) -> int:
    """A date as Excel's serial day number (what a date cell stores, formatted as a date)."""
    return (day - EXCEL_EPOCH).days


def _xml_text(text: str) -> str:
    """Cleaned, escaped text for an inline-string cell (xml:space kept where it matters)."""
    cleaned = clean_text(text)
    escaped = cleaned.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if cleaned != cleaned.strip() else ""
    return f"<t{space}>{escaped}</t>"


def _xml_number(value: object) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return str(excel_serial(value))
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"not a number: {value!r}")
    return repr(value)


class SheetStream:
    """Rows written straight into a write-only sheet's XML stream: the big sheets, fast.

    openpyxl's write-only append builds a cell object per value and serialises it through
    several Python calls (≈ 15 µs a cell). Here a row is one string of SpreadsheetML that
    lxml parses in C and writes into the same stream openpyxl opened for the sheet: text is
    always an inline string (never a formula), numbers carry the workbook's number-format
    styles, dates are written as Excel serial numbers with a date format. The stream
    follows openpyxl's own write-only protocol (`_write_rows`), so `ws.close()` at save
    ends the sheet; do not mix it with `ws.append` on the same sheet.
    """

    def __init__(self, ws: Any, kinds: Sequence[str]) -> None:
        """Open the sheet's rows (set column widths and frozen panes before this)."""
        self.ws, self.kinds = ws, tuple(kinds)
        self.letters = tuple(get_column_letter(index) for index in range(1, len(kinds) + 1))
        self._styles: dict[object, tuple[str, ...]] = {}
        self._texts: dict[str, str] = {}
        self.row = 0
        ws._get_writer()
        self._rows = self._stream()
        next(self._rows)
        ws._rows = self._rows  # ws.close() closes it, as it closes its own generator

    def _stream(self) -> Generator[None, Any, None]:
        writer = self.ws._writer
        xf = writer.xf.send(True)
        with xf.element("sheetData"):
            try:
                while True:
                    xf.write((yield))
            except GeneratorExit:
                pass
        writer.xf.send(None)

    def _style_attrs(self, font: Font | None) -> tuple[str, ...]:
        """Per column the ` s="n"` attribute (empty for unstyled text), one lookup per font."""
        key = None if font is None else id(font)
        attrs = self._styles.get(key)
        if attrs is None:
            attrs = self._styles[key] = tuple(
                self._text_style(font)
                if kind == TEXT
                else f' s="{number_cell(self.ws, None, NUMBER_FORMATS[kind], font).style_id}"'
                for kind in self.kinds
            )
        return attrs

    def _text(self, value: object) -> str:
        text = value if isinstance(value, str) else str(value)
        xml = self._texts.get(text)
        if xml is None:
            xml = _xml_text(text)
            if len(self._texts) < _TEXT_CACHE:
                self._texts[text] = xml
        return xml

    def append(self, values: Sequence[object], font: Font | None = None) -> None:
        """Append one row; None leaves a cell empty, text always stays text."""
        self.row += 1
        n = self.row
        parts = [f'<row r="{n}">']
        styles = self._style_attrs(font)
        for kind, letter, style, value in zip(
            self.kinds, self.letters, styles, values, strict=False
        ):
            if value is None:
                continue
            if kind == TEXT:
                parts.append(
                    f'<c r="{letter}{n}"{style} t="inlineStr"><is>{self._text(value)}</is></c>'
                )
            else:
                parts.append(f'<c r="{letter}{n}"{style} t="n"><v>{_xml_number(value)}</v></c>')
        parts.append("</row>")
        self._rows.send(fromstring("".join(parts)))

    def header(self, labels: Sequence[str], font: Font | None = None) -> None:
        """A row of text whatever the columns' kinds (the header row)."""
        self.row += 1
        style = self._text_style(font)
        cells = "".join(
            f'<c r="{letter}{self.row}"{style} t="inlineStr"><is>{_xml_text(label)}</is></c>'
            for letter, label in zip(self.letters, labels, strict=False)
        )
        self._rows.send(fromstring(f'<row r="{self.row}">{cells}</row>'))

    def _text_style(self, font: Font | None) -> str:
        if font is None:
            return ""
        return f' s="{text_cell(self.ws, "", font).style_id}"'

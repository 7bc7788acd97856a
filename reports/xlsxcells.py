"""Typed write-only cells: text is always a string cell, numbers carry a number format."""

from collections.abc import Sequence

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from reports.tables import DATE, HOURS, INT, MONEY, SHARE, TEXT

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


def text_cell(ws, value: object, font: Font | None = None) -> WriteOnlyCell:
    """A string cell, whatever the text looks like ("=…", "#N/A", "0101901234")."""
    cell = WriteOnlyCell(ws, clean_text(value))
    # openpyxl infers "=…" as a formula and "#N/A" as an error; force a plain string.
    cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


def number_cell(ws, value: object, number_format: str, font: Font | None = None):
    """A numeric or date cell with a number format."""
    cell = WriteOnlyCell(ws, value)
    cell.number_format = number_format
    if font is not None:
        cell.font = font
    return cell


def text_value(ws, value: object, font: Font | None = None):
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

    def __init__(self, ws, kinds: Sequence[str], font: Font | None = None) -> None:
        """Prepare one styled cell per numeric column."""
        self.ws, self.kinds, self.font = ws, tuple(kinds), font
        self.cells = [
            None if kind == TEXT else number_cell(ws, None, NUMBER_FORMATS[kind], font)
            for kind in self.kinds
        ]

    def append(self, values: Sequence[object]) -> None:
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

import csv
import io
from datetime import date

import pytest

from reports.core.csvexport import neutralise, write_entries_csv, write_refund_csv
from reports.core.tables import EntryRow
from tests.reports.factories import NASTY, contract_report


def parse(text):
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"])
def test_formula_starts_are_neutralised(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Anna", "0101901234", "", "a=b", "#N/A"])
def test_other_text_is_untouched(text):
    assert neutralise(text) == text


def test_refund_csv_is_danish_excel_csv():
    out = io.StringIO(newline="")
    write_refund_csv(out, contract_report())
    header, row, training, totals = parse(out.getvalue())
    assert header[:2] == ["CPR-nr.", "Navn"] and header[-2:] == ["Udgift", "Refusion"]
    assert row == [
        "010190-1234",
        "Anna Jensen",
        "10,00",
        "0,00",
        "0,00",
        "0,50",
        "0,75",
        "10,50",
        "0,75",
        "4200,00",
        "2100,00",
    ]
    assert training[1:2] + training[-2:] == ["Uddannelse af mentorer", "8000,00", "4000,00"]
    assert totals[1:2] + totals[-4:] == ["I alt", "10,50", "0,75", "12200,00", "6100,00"]


def test_entries_csv_neutralises_text_but_not_numbers():
    entries = [
        EntryRow(date(2026, 1, 5), "0101901234", text, "Mentor", "own_transport", 45, 40_000, text)
        for text in NASTY
    ]
    out = io.StringIO(newline="")
    assert write_entries_csv(out, contract_report(), iter(entries)) == len(NASTY)
    header, *rows = parse(out.getvalue())
    assert header[0] == "Dato" and header[-1] == "Note"
    first = rows[0]
    assert first[:2] == ["05-01-2026", "010190-1234"]
    assert first[4:10] == ["Egen transport", "Nej", "45", "0,75", "400,00", "300,00"]
    assert [r[2] for r in rows] == [neutralise(t) for t in NASTY]
    assert [r[-1] for r in rows][:5] == ["'" + t for t in NASTY[:5]]

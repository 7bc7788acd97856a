import io
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from reports.core.evidence import ContactDay, build_evidence
from reports.core.refund import DEFAULT_RULE, build_report
from reports.core.tables import EntryRow
from reports.core.workbook import WorkbookMeta, write_refund_workbook
from tests.reports.factories import END, NASTY, START, citizen, contract_report

META = WorkbookMeta(datetime(2026, 4, 2, 10, 30, tzinfo=UTC), "Fie Finans", claim_id=4)
CITIZEN_HEADERS = [
    "CPR-nr.",
    "Navn",
    "Personlig kontakt og samtale med borgeren (timer)",
    "Opfølgning, dialog og undersøgelse med andre fagprofessionelle (timer)",
    "Transport med borgeren (timer)",
    "Administration og registrering (timer)",
    "Egen transport (timer)",
    "Refusionsberettigede timer",
    "Ikke-refusionsberettigede timer",
    "Udgift",
    "Refusion",
]
ENTRY_HEADERS = [
    "Dato",
    "CPR-nr.",
    "Borger",
    "Mentor",
    "Kategori",
    "Refusionsberettiget",
    "Minutter",
    "Timer",
    "Timesats",
    "Udgift",
    "Note",
]


def entry(i=0, text="ok", category="citizen_contact", minutes=None, note=None):
    day, cpr = date(2026, 1, 5 + i % 20), "0101901234"
    minutes = 30 + i if minutes is None else minutes
    return EntryRow(day, cpr, text, text, category, minutes, 40_000, text if note is None else note)


def nasty_report():
    rows = [
        citizen(cid=i, cpr=f"{i:010d}", name=text, citizen_contact=60)
        for i, text in enumerate(NASTY, 1)
    ]
    return build_report(START, END, DEFAULT_RULE, rows, 800_000)


def write(report, entries, evidence=None, progress=None):
    out = io.BytesIO()
    write_refund_workbook(out, report, iter(entries), META, evidence, progress)
    out.seek(0)
    return out


def cells(ws, row):
    return [c.value for c in ws[row]]


def overview_lines(out):
    return {r[0]: r[1] for r in load_workbook(out)["Oversigt"].iter_rows(values_only=True) if r[0]}


def test_sheets_and_headers():
    wb = load_workbook(write(contract_report(), [entry()]))
    assert wb.sheetnames == ["Oversigt", "Borgere", "Registreringer"]
    assert cells(wb["Borgere"], 1) == CITIZEN_HEADERS
    assert cells(wb["Registreringer"], 1) == ENTRY_HEADERS


def test_cpr_is_text_with_its_leading_zero():
    wb = load_workbook(write(contract_report(), [entry()]))
    for cell in (wb["Borgere"]["A2"], wb["Registreringer"]["B2"]):
        assert (cell.value, cell.data_type) == ("0101901234", "s")


@pytest.mark.parametrize("sheet", ["Borgere", "Registreringer"])
def test_formula_like_text_stays_text(sheet):
    out = write(nasty_report(), [entry(i, text) for i, text in enumerate(NASTY)])
    ws = load_workbook(out)[sheet]
    column = "B" if sheet == "Borgere" else "D"
    found = [ws[f"{column}{r}"] for r in range(2, 2 + len(NASTY))]
    assert sorted(c.value for c in found) == sorted(NASTY)
    assert {c.data_type for c in found} == {"s"}
    if sheet == "Registreringer":
        assert [ws[f"K{r}"].value for r in range(2, 2 + len(NASTY))] == list(NASTY)


def test_no_formula_element_anywhere_in_the_file():
    out = write(nasty_report(), [entry(i, text) for i, text in enumerate(NASTY)])
    with zipfile.ZipFile(out) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert sheets
        for name in sheets:
            xml = archive.read(name).decode()
            assert "<f>" not in xml and 't="e"' not in xml and 't="str"' not in xml


def test_numbers_are_numeric_with_formats_and_dates_are_dates():
    ws = load_workbook(write(contract_report(), [entry()]))["Registreringer"]
    day, minutes, hours, rate, cost = ws["A2"], ws["G2"], ws["H2"], ws["I2"], ws["J2"]
    assert day.is_date and day.value == datetime(2026, 1, 5) and day.number_format == "dd-mm-yyyy"
    assert (minutes.value, hours.value, rate.value, cost.value) == (30, 0.5, 400, 200)
    assert {c.data_type for c in (minutes, hours, rate, cost)} == {"n"}
    assert hours.number_format == "0.00"
    assert cost.number_format == rate.number_format == '#,##0.00 "kr."'


def test_each_row_keeps_its_own_numbers():
    # Guards the reuse of one styled cell per column across rows.
    ws = load_workbook(write(contract_report(), [entry(i) for i in range(5)]))["Registreringer"]
    assert [ws[f"G{r}"].value for r in range(2, 7)] == [30, 31, 32, 33, 34]


def test_freeze_panes_and_autofilter_cover_the_data():
    wb = load_workbook(write(contract_report(), [entry(i) for i in range(3)]))
    assert wb["Borgere"].freeze_panes == "C2"
    assert wb["Borgere"].auto_filter.ref == "A1:K2"
    assert wb["Registreringer"].freeze_panes == "A2"
    assert wb["Registreringer"].auto_filter.ref == "A1:K4"


def test_training_and_totals_rows_equal_the_report():
    report = contract_report()
    ws = load_workbook(write(report, [entry()]))["Borgere"]
    rows = {r[1]: r for r in ws.iter_rows(min_row=3, values_only=True) if r[1]}
    training, totals = rows["Uddannelse af mentorer"], rows["I alt"]
    assert [Decimal(str(v)) for v in training[9:11]] == [Decimal("8000"), Decimal("4000")]
    as_decimals = [Decimal(str(v)) for v in totals[7:11]]
    t = report.totals
    assert as_decimals == [t.hours, t.non_refundable_hours, t.cost, t.refund]
    assert (
        sum(Decimal(str(r[9] or 0)) for r in ws.iter_rows(min_row=2, max_row=4, values_only=True))
        == t.cost
    )


def test_evidence_columns_as_percentages_with_a_flag():
    report = build_report(
        START,
        END,
        DEFAULT_RULE,
        [
            citizen(cid=1, cpr="0101901111", citizen_contact=60),
            citizen(cid=2, cpr="0101902222", citizen_contact=60),
        ],
        0,
    )
    evidence = build_evidence(
        [
            ContactDay(1, date(2026, 1, 5), 30, True, True),
            ContactDay(1, date(2026, 1, 6), 30, False, False),
            ContactDay(2, date(2026, 1, 5), 60, True, False),
        ]
    )
    wb = load_workbook(write(report, [], evidence))
    ws = wb["Borgere"]
    assert cells(ws, 1)[11:] == [
        "Dokumentation (andel)",
        "Vist for borger (andel)",
        "Mangler dokumentation",
    ]
    assert cells(ws, 2)[11:] == [0.5, 0.5, "Ja"]
    assert cells(ws, 3)[11:] == [1, 0, "Nej"]
    assert ws["L2"].number_format.endswith("%")
    assert overview_lines(write(report, [], evidence))["Borgere med manglende dokumentation"] == 1


def test_overview_in_danish():
    lines = overview_lines(write(contract_report(), [entry()]))
    assert lines["Periode"] == "1. januar 2026 – 31. marts 2026"
    assert lines["Udarbejdet af"] == "Fie Finans"
    assert lines["Udarbejdet"] == datetime(2026, 4, 2, 12, 30)  # Copenhagen summer time
    assert lines["Status"] == "Refusionskrav nr. 4"
    assert lines["Refusionssats"] == 0.5
    assert "Egen transport" in lines["Ikke refusionsberettigede kategorier"]
    assert "Personlig kontakt og samtale med borgeren" in lines["Refusionsberettigede kategorier"]
    assert lines["Refusion i alt (inkl. uddannelse)"] == 6100
    assert lines["Antal registreringer"] == 1
    assert any("egen transport" in str(k) and "aldrig" in str(k) for k in lines)


def test_overview_checks_the_entries_add_up_to_the_citizen_rows():
    report = contract_report()  # 600 + 30 + 45 minutes
    matching = [
        entry(0, minutes=600),
        entry(1, category="administration", minutes=30),
        entry(2, category="own_transport", minutes=45),
    ]
    key = "Registreringernes minutter stemmer med borgerne"
    assert overview_lines(write(report, matching))[key] == "Ja"
    assert overview_lines(write(report, matching[:2]))[key] == "Nej"


def test_progress_every_thousand_and_at_the_end():
    calls = []
    write(contract_report(), (entry(i) for i in range(2500)), progress=calls.append)
    assert calls == [1000, 2000, 2500]


class Stop(Exception):
    pass


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_a_write_stopped_midway_closes_its_sheets_quietly():
    """A claim's build stops from its progress callback (taken over); nothing is left open."""
    import gc

    def stop_at_2000(done):
        if done == 2000:
            raise Stop

    with pytest.raises(Stop):
        write(contract_report(), (entry(i) for i in range(2500)), progress=stop_at_2000)
    gc.collect()  # abandoned sheet streams used to complain here, from lxml


def test_control_characters_and_overlong_notes_still_give_a_valid_file():
    rows = [entry(0, note="før\x0befter"), entry(1, note="x" * 40_000)]
    ws = load_workbook(write(contract_report(), rows))["Registreringer"]
    assert ws["K2"].value == "før efter"
    assert len(ws["K3"].value) == 32_767
    assert ws["K3"].value.endswith("…")


def test_writes_to_a_path(tmp_path):
    path = tmp_path / "refusion.xlsx"
    assert write_refund_workbook(path, contract_report(), iter([entry()]), META) == 1
    assert load_workbook(path).sheetnames[0] == "Oversigt"


def test_entry_sheet_keeps_markup_spaces_and_formulas_as_text_and_bolds_its_header():
    """The entries sheet is written as SpreadsheetML directly (SheetStream): check the XML."""
    notes = ["<b>fed</b> & 'x' \"y\"", "  to mellemrum foran", "=SUM(A1:A2)", "#N/A", "-1+2"]
    rows = [entry(i, note=note) for i, note in enumerate(notes)]
    ws = load_workbook(write(contract_report(), rows))["Registreringer"]
    got = [ws.cell(row=r, column=11) for r in range(2, 2 + len(notes))]
    assert [c.value for c in got] == notes
    assert all(c.data_type == "s" for c in got)
    assert all(c.font.b for c in ws[1]) and not ws["B2"].font.b
    assert ws["A2"].value == datetime(2026, 1, 5) and ws["A2"].number_format == "dd-mm-yyyy"
    assert ws["J2"].value == pytest.approx(200.0)  # 30 min at 400 kr.

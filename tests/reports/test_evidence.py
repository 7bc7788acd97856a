from datetime import date
from decimal import Decimal

import pytest

from reports.core.evidence import ContactDay, build_evidence, evidence_for, no_contact, share

D = Decimal


def day(minutes, entry=False, shown=False, cid=1, d=1):
    return ContactDay(cid, date(2026, 1, d), minutes, entry, shown)


def test_no_contact_minutes_means_nothing_to_back():
    evidence = no_contact(7)
    assert (evidence.backed_share, evidence.shown_share, evidence.complete) == (D(1), D(1), True)
    assert evidence.contact_minutes == 0


def test_partial_evidence():
    days = [day(60, entry=True, shown=True, d=1), day(60, entry=True, d=2), day(60, d=3)]
    evidence = evidence_for(1, days)
    assert (evidence.contact_minutes, evidence.backed_minutes, evidence.shown_minutes) == (
        180,
        120,
        60,
    )
    assert (evidence.backed_share, evidence.shown_share) == (D("0.6667"), D("0.3333"))
    assert not evidence.complete


def test_complete_when_every_minute_is_backed_even_if_not_all_shown():
    evidence = evidence_for(1, [day(45, entry=True, shown=True), day(30, entry=True, d=2)])
    assert evidence.complete
    assert evidence.backed_share == D("1.0000")
    assert evidence.shown_share == D("0.6000")


def test_one_unbacked_minute_in_twenty_thousand_is_not_shown_as_100_percent():
    evidence = evidence_for(1, [day(19_999, entry=True), day(1, d=2)])
    assert evidence.backed_share == D("0.9999")  # 0.99995 would round up: capped below 1
    assert not evidence.complete


def test_shown_note_counts_as_a_note():
    assert evidence_for(1, [day(30, shown=True)]).complete


def test_build_evidence_groups_rows_by_citizen():
    result = build_evidence([day(30, True, cid=1), day(30, cid=2), day(30, True, cid=2, d=2)])
    assert set(result) == {1, 2}
    assert result[1].complete
    assert result[2].backed_share == D("0.5000")


def test_share_edges():
    assert share(0, 0) == D(1)
    assert share(0, 5) == D("0.0000")
    assert share(1, 3) == D("0.3333")
    assert share(2, 3) == D("0.6667")  # rounded half-up, not cut off (issue 13, item 9)
    assert share(1, 6) == D("0.1667")  # shown as 16,67 %, not 16,66 %
    assert share(6, 29) == D("0.2069")  # "Vist for borger" 20,69 %, not 20,68 %
    assert share(1, 8) == D("0.1250") and share(1, 20_000) == D("0.0001")  # 0.00005 up
    assert share(3, 2) == D("1.5000")


def test_negative_minutes_are_refused():
    with pytest.raises(ValueError):
        evidence_for(1, [day(-5, entry=True)])

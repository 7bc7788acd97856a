"""CPR rules and Danish working days."""

from __future__ import annotations

from datetime import date

import pytest

from service.core.errors import Invalid
from service.core.workdays import is_working_day, working_days_between
from service.corps.cpr import normalise_cpr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0101901234", "0101901234"),
        ("010190-1234", "0101901234"),
        (" 070374-1234 ", "0703741234"),
        ("0102030405", "0102030405"),  # leading zero kept
        ("290200-4234", "2902004234"),  # digit 7 = 4, year 00 → 2000, a leap year
        ("290296-1234", "2902961234"),  # 1996 is a leap year
    ],
)
def test_valid_cpr(text, expected):
    assert normalise_cpr(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "3102901234",  # 31 February
        "310290-1234",
        "290200-1234",  # digit 7 = 1 → 1900, not a leap year
        "290290-1234",
        "0013901234",  # month 13
        "010190123",  # nine digits
        "01019012345",
        "0101-901234",
        "abcdefghij",
        "",
    ],
)
def test_invalid_cpr_names_the_field(text):
    with pytest.raises(Invalid) as error:
        normalise_cpr(text)
    assert error.value.field == "cpr"


def test_holidays_are_not_working_days():
    assert not is_working_day(date(2026, 4, 2))  # Maundy Thursday
    assert not is_working_day(date(2026, 4, 6))  # Easter Monday
    assert not is_working_day(date(2026, 12, 25))
    assert not is_working_day(date(2026, 4, 4))  # Saturday
    assert is_working_day(date(2026, 4, 7))


def test_working_days_across_easter_2026():
    # Wednesday 1 April → Tuesday 7 April: Thu, Fri, Mon are holidays; only 7 April counts
    assert working_days_between(date(2026, 4, 1), date(2026, 4, 7)) == 1


def test_working_days_across_christmas():
    # Wed 23 Dec 2026 → Mon 28 Dec: 24 Dec counts, 25/26 are holidays, 27 Sunday, 28 counts
    assert working_days_between(date(2026, 12, 23), date(2026, 12, 28)) == 2


def test_working_days_plain_week_and_same_day():
    assert working_days_between(date(2026, 3, 2), date(2026, 3, 9)) == 5
    assert working_days_between(date(2026, 3, 2), date(2026, 3, 2)) == 0
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 2)) == 0

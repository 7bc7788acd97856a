"""CPR numbers: ten digits, dash optional, the first six a real date (no modulus-11)."""

from __future__ import annotations

import re
from datetime import date

from service.core.errors import Invalid

# re.ASCII: "\d" would also take Arabic-Indic or full-width digits (one person, three CPRs).
_PATTERN = re.compile(r"(\d{6})-?(\d{4})", re.ASCII)


def _century(seventh: int, yy: int) -> int:
    """The CPR century rule: digit 7 and the two-digit year pick the century."""
    if seventh <= 3:
        return 1900
    if seventh in (4, 9):
        return 2000 if yy <= 36 else 1900
    return 2000 if yy <= 57 else 1800


def birth_date(cpr: str) -> date | None:
    """Return the birth date of a ten-digit CPR number, or None when it is no real date."""
    dd, mm, yy, seventh = int(cpr[0:2]), int(cpr[2:4]), int(cpr[4:6]), int(cpr[6])
    try:
        return date(_century(seventh, yy) + yy, mm, dd)
    except ValueError:
        return None


def normalise_cpr(text: str) -> str:
    """Return the CPR number as ten digits (dash removed) or raise Invalid(field="cpr")."""
    match = _PATTERN.fullmatch((text or "").strip())
    if match is None:
        raise Invalid(
            "CPR-nummeret skal være 10 cifre, evt. med bindestreg (ddmmåå-xxxx).", field="cpr"
        )
    digits = match.group(1) + match.group(2)
    if birth_date(digits) is None:
        raise Invalid("CPR-nummerets første seks cifre skal være en gyldig dato.", field="cpr")
    return digits

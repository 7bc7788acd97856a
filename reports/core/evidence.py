"""Evidence of delivery: how much refunded citizen contact a logbook note backs."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reports.core.money import as_int, half_up

ONE = Decimal("1.0000")
ALMOST_ONE = Decimal("0.9999")


@dataclass(frozen=True)
class ContactDay:
    """One row of the evidence query, grouped by citizen and date.

    `minutes` is the refundable citizen_contact time that day; `has_entry` whether the
    citizen's logbook has a note dated that day, `has_shown_entry` whether one of those
    notes was shown to the citizen.
    """

    citizen_id: int
    day: date
    minutes: int
    has_entry: bool
    has_shown_entry: bool


@dataclass(frozen=True)
class Evidence:
    """How much of a citizen's contact time is backed by (shown) logbook notes."""

    citizen_id: int
    contact_minutes: int
    backed_minutes: int
    shown_minutes: int
    backed_share: Decimal
    shown_share: Decimal
    complete: bool


def share(part: int, whole: int) -> Decimal:
    """part / whole as a fraction with 4 decimals (0,01 %), half-up; 1 when whole is 0.

    A share below one never rounds up to it: 100 % is shown only when every minute is
    backed (19,999 of 20,000 minutes is 99,99 %).
    """
    if whole == 0:
        return ONE
    rounded = half_up(Decimal(part) / Decimal(whole), 4)
    return min(rounded, ALMOST_ONE) if part < whole else rounded


def evidence_from_minutes(citizen_id: int, contact: int, backed: int, shown: int) -> Evidence:
    """Evidence from a citizen's summed minutes: contact, backed by a note, shown to them."""
    contact, backed, shown = (as_int(v, "minutes") for v in (contact, backed, shown))
    if not 0 <= shown <= backed <= contact:
        raise ValueError("need 0 <= shown <= backed <= contact minutes")
    return Evidence(
        citizen_id=citizen_id,
        contact_minutes=contact,
        backed_minutes=backed,
        shown_minutes=shown,
        backed_share=share(backed, contact),
        shown_share=share(shown, contact),
        complete=backed == contact,
    )


def evidence_for(citizen_id: int, days: Iterable[ContactDay]) -> Evidence:
    """Sum one citizen's contact days into an Evidence."""
    contact = backed = shown = 0
    for day in days:
        minutes = as_int(day.minutes, "minutes")
        if minutes < 0:
            raise ValueError("minutes cannot be negative")
        contact += minutes
        # A shown note is a note, whatever the query said about has_entry.
        if day.has_entry or day.has_shown_entry:
            backed += minutes
        if day.has_shown_entry:
            shown += minutes
    return evidence_from_minutes(citizen_id, contact, backed, shown)


def no_contact(citizen_id: int) -> Evidence:
    """Evidence for a citizen with no refundable contact time: nothing to back."""
    return evidence_for(citizen_id, ())


def build_evidence(days: Iterable[ContactDay]) -> dict[int, Evidence]:
    """Evidence per citizen from the rows of the evidence query."""
    by_citizen: dict[int, list[ContactDay]] = defaultdict(list)
    for day in days:
        by_citizen[day.citizen_id].append(day)
    return {cid: evidence_for(cid, rows) for cid, rows in by_citizen.items()}

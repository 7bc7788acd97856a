"""Parsing of form and query values with Danish error messages keyed by field."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from service.core.limits import MAX_CHOICES

# int() and Decimal() also read Arabic-Indic or full-width digits; we take ASCII only.
_WHOLE = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?[0-9.,]+")


def parse_int(raw: str | None, field: str, errors: dict[str, str], label: str) -> int | None:
    """Parse an optional whole number; a bad value adds a Danish error for the field."""
    if raw is None or raw.strip() == "":
        return None
    try:
        if _WHOLE.fullmatch(raw.strip()):
            return int(raw.strip())
    except ValueError:  # more digits than int() reads
        pass
    errors[field] = f"{label} skal være et helt tal."
    return None


def parse_date(raw: str | None, field: str, errors: dict[str, str], label: str) -> date | None:
    """Parse an optional date (YYYY-MM-DD, as date inputs send it)."""
    if raw is None or raw.strip() == "":
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        errors[field] = f"{label} skal være en gyldig dato."
        return None


def parse_decimal(
    raw: str | None, field: str, errors: dict[str, str], label: str, places: int = 2
) -> Decimal | None:
    """Parse an optional decimal, accepting a Danish comma (2,5 → 2.50)."""
    if raw is None or raw.strip() == "":
        return None
    if not _DECIMAL.fullmatch(raw.strip()):
        errors[field] = f"{label} skal være et tal."
        return None
    text = raw.strip().replace(".", "").replace(",", ".") if "," in raw else raw.strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        errors[field] = f"{label} skal være et tal."
        return None
    if not value.is_finite() or value != value.quantize(Decimal(1).scaleb(-places)):
        errors[field] = f"{label} må højst have {places} decimaler."
        return None
    return value


def cap_list(
    values: list[str], field: str, errors: dict[str, str], limit: int = MAX_CHOICES
) -> list[str]:
    """Keep at most `limit` values of a list field; more adds a Danish error for the field."""
    if len(values) > limit:
        errors[field] = f"Højst {limit} valg i dette felt."
        return list(values[:limit])
    return list(values)

"""Shared API field types: the contract's decimal strings and ISO dates."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, PlainSerializer, WithJsonSchema

LIMIT = Decimal("1000000000")  # no amount or hour count of ours comes near a billion


def _two_places(value: Decimal) -> Decimal:
    if not value.is_finite():
        raise ValueError("must be a finite number")
    if value < 0:
        raise ValueError("must not be negative")
    if value >= LIMIT:
        raise ValueError("must be less than 1000000000")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError("at most two decimals")
    return value.quantize(Decimal("0.01"))


MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"  # [0-9]: "\d" takes any script's digits


def _month(value: object) -> date:
    text = str(value)
    if not re.fullmatch(MONTH_PATTERN, text) or int(text[:4]) < 1900:
        raise ValueError("must be a month YYYY-MM (from 1900 on)")
    return date(int(text[:4]), int(text[5:7]), 1)


# A month as "YYYY-MM", handed to the code as the first day of that month.
Month = Annotated[
    date,
    BeforeValidator(_month),
    WithJsonSchema({"type": "string", "pattern": MONTH_PATTERN, "examples": ["2026-03"]}),
]


def ascii_number(value: object) -> object:
    """Refuse digits of other scripts, which Decimal() would read ("٣٠" → 30)."""
    if isinstance(value, str) and not value.isascii():
        raise ValueError("must be written with the digits 0-9")
    return value


# Money and hours: accepted as "1234.50" (or a number), always answered as "1234.50".
Dec2 = Annotated[
    Decimal,
    BeforeValidator(ascii_number),
    AfterValidator(_two_places),
    PlainSerializer(lambda d: f"{d:.2f}", return_type=str, when_used="always"),
    WithJsonSchema({"type": "string", "pattern": r"^[0-9]+\.[0-9]{2}$", "examples": ["1234.50"]}),
]

"""Shared API field types: the contract's decimal strings and ISO dates."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, PlainSerializer, WithJsonSchema


def _two_places(value: Decimal) -> Decimal:
    if not value.is_finite():
        raise ValueError("must be a finite number")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError("at most two decimals")
    if value < 0:
        raise ValueError("must not be negative")
    return value.quantize(Decimal("0.01"))


# Money and hours: accepted as "1234.50" (or a number), always answered as "1234.50".
Dec2 = Annotated[
    Decimal,
    AfterValidator(_two_places),
    PlainSerializer(lambda d: f"{d:.2f}", return_type=str, when_used="always"),
    WithJsonSchema({"type": "string", "pattern": r"^\d+\.\d{2}$", "examples": ["1234.50"]}),
]

"""Form fields: how each kind of input is read and parsed, with Danish errors by field.

The parse functions also serve query parameters read without a form (filters of GET pages).
Forms are declared with these fields in service/web/forms.py, which exports them too.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from datetime import date
from decimal import Decimal as Dec
from decimal import InvalidOperation
from typing import Any, Generic, Protocol, Self, TypeVar, overload

from service.core.limits import MAX_CHOICES

# int() and Decimal() also read Arabic-Indic or full-width digits; we take ASCII only.
_WHOLE = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?[0-9.,]+")
_ID = re.compile(r"[0-9]{1,10}")
MAX_ID = 2**31 - 1  # PostgreSQL's integer: a larger id names no row


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
) -> Dec | None:
    """Parse an optional decimal, accepting a Danish comma (2,5 → 2.50)."""
    if raw is None or raw.strip() == "":
        return None
    if not _DECIMAL.fullmatch(raw.strip()):
        errors[field] = f"{label} skal være et tal."
        return None
    text = raw.strip().replace(".", "").replace(",", ".") if "," in raw else raw.strip()
    try:
        value = Dec(text)
    except InvalidOperation:
        errors[field] = f"{label} skal være et tal."
        return None
    if not value.is_finite() or value != value.quantize(Dec(1).scaleb(-places)):
        errors[field] = f"{label} må højst have {places} decimaler."
        return None
    return value


def parse_id(raw: str | None) -> int | None:
    """An id the page itself wrote (a hidden field, a checkbox, a link): None unless one."""
    text = (raw or "").strip()
    if not _ID.fullmatch(text) or not 0 < int(text) <= MAX_ID:
        return None
    return int(text)


def cap_list(
    values: list[str], field: str, errors: dict[str, str], limit: int = MAX_CHOICES
) -> list[str]:
    """Keep at most `limit` values of a list field; more adds a Danish error for the field."""
    if len(values) > limit:
        errors[field] = f"Højst {limit} valg i dette felt."
        return list(values[:limit])
    return list(values)


# --- fields -----------------------------------------------------------------------------

T = TypeVar("T")


class Parsed(Protocol):
    """What a field reads on a form instance (service.web.forms.Form)."""

    _values: dict[str, Any]
    errors: dict[str, str]


class NoValue(AttributeError):
    """A field that failed has no value (an AttributeError, so templates fall back to text)."""


def _texts(source: Any, key: str) -> list[str]:
    """Every text value sent under `key` (files and other non-text parts are left out)."""
    if hasattr(source, "getlist"):
        values = source.getlist(key)
    else:
        value = source.get(key)
        values = value if isinstance(value, list | tuple) else [] if value is None else [value]
    return [v for v in values if isinstance(v, str)]


class Field(ABC, Generic[T]):
    """One field: its label (named in its errors), how it is read and parsed."""

    def __init__(
        self, label: str = "", *, required: str | None = None, alias: str | None = None
    ) -> None:
        self.label = label
        self.required = required  # the message when left empty
        self.alias = alias
        self.name = self.key = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        self.key = self.alias or name  # the input's name in the HTML

    @overload
    def __get__(self, form: None, owner: type) -> Self: ...
    @overload
    def __get__(self, form: Parsed, owner: type) -> T: ...
    def __get__(self, form: Parsed | None, owner: type) -> Self | T:
        if form is None:
            return self
        try:
            return form._values[self.name]
        except KeyError:
            raise NoValue(f"{self.key} has no value: {form.errors.get(self.key)}") from None

    def read(self, source: Any) -> Any:
        """What was typed: the last text sent under the key, or ''."""
        texts = _texts(source, self.key)
        return texts[-1] if texts else ""

    @abstractmethod
    def clean(self, typed: Any, errors: dict[str, str]) -> T:
        """The parsed value; a bad value adds an error under the key."""


class Text(Field[str]):
    """Free text, kept as typed (`strip`: the value without surrounding spaces)."""

    def __init__(
        self,
        label: str = "",
        *,
        required: str | None = None,
        alias: str | None = None,
        strip: bool = False,
    ) -> None:
        super().__init__(label, required=required, alias=alias)
        self.strip = strip

    def clean(self, typed: Any, errors: dict[str, str]) -> str:
        value = str(typed)
        if self.required and not value.strip():
            errors[self.key] = self.required
        return value.strip() if self.strip else value


class Flag(Field[bool]):
    """A checkbox sending "1"."""

    def read(self, source: Any) -> str:
        return "1" if super().read(source) == "1" else ""

    def clean(self, typed: Any, errors: dict[str, str]) -> bool:
        return typed == "1"


class _Parsed(Field[T]):
    """A field parsed from text: empty is None, or the `required` message."""

    def __init__(
        self,
        label: str = "",
        *,
        required: str | None = None,
        alias: str | None = None,
        invalid: str | None = None,
    ) -> None:
        super().__init__(label, required=required, alias=alias)
        self.invalid = invalid  # replaces the parser's own message

    @abstractmethod
    def parse(self, text: str, errors: dict[str, str]) -> Any:
        """The value of non-empty text; a bad text adds an error under the key."""

    def clean(self, typed: Any, errors: dict[str, str]) -> T:
        found: dict[str, str] = {}
        value = self.parse(str(typed), found)
        if found:
            errors[self.key] = self.invalid or found[self.key]
        elif value is None and self.required:
            errors[self.key] = self.required
        return value


class Integer(_Parsed[T]):
    """A whole number (ASCII digits, an optional sign)."""

    @overload
    def __init__(
        self: Integer[int],
        label: str = "",
        *,
        required: str,
        alias: str | None = None,
        invalid: str | None = None,
    ) -> None: ...
    @overload
    def __init__(
        self: Integer[int | None],
        label: str = "",
        *,
        required: None = None,
        alias: str | None = None,
        invalid: str | None = None,
    ) -> None: ...
    def __init__(self, label="", *, required=None, alias=None, invalid=None) -> None:
        super().__init__(label, required=required, alias=alias, invalid=invalid)

    def parse(self, text: str, errors: dict[str, str]) -> int | None:
        return parse_int(text, self.key, errors, self.label)


class Decimal(_Parsed[T]):
    """A decimal number; a Danish comma is read (2,5)."""

    @overload
    def __init__(
        self: Decimal[Dec], label: str = "", *, required: str, alias: str | None = None
    ) -> None: ...
    @overload
    def __init__(
        self: Decimal[Dec | None],
        label: str = "",
        *,
        required: None = None,
        alias: str | None = None,
    ) -> None: ...
    def __init__(self, label="", *, required=None, alias=None) -> None:
        super().__init__(label, required=required, alias=alias)

    def parse(self, text: str, errors: dict[str, str]) -> Dec | None:
        return parse_decimal(text, self.key, errors, self.label)


class Date(_Parsed[T]):
    """A date as date inputs send it (YYYY-MM-DD)."""

    @overload
    def __init__(
        self: Date[date], label: str = "", *, required: str, alias: str | None = None
    ) -> None: ...
    @overload
    def __init__(
        self: Date[date | None], label: str = "", *, required: None = None, alias: str | None = None
    ) -> None: ...
    def __init__(self, label="", *, required=None, alias=None) -> None:
        super().__init__(label, required=required, alias=alias)

    def parse(self, text: str, errors: dict[str, str]) -> date | None:
        return parse_date(text, self.key, errors, self.label)


class Id(_Parsed[T]):
    """The id of a record offered on the page (a select, a hidden field)."""

    @overload
    def __init__(
        self: Id[int], label: str = "", *, required: str, invalid: str | None = None
    ) -> None: ...
    @overload
    def __init__(
        self: Id[int | None], label: str = "", *, required: None = None, invalid: str | None = None
    ) -> None: ...
    def __init__(self, label="", *, required=None, invalid=None) -> None:
        super().__init__(label, required=required, invalid=invalid)

    def parse(self, text: str, errors: dict[str, str]) -> int | None:
        if not text.strip():
            return None
        found = parse_id(text)
        if found is None:
            errors[self.key] = f"{self.label} findes ikke."
        return found


class _Many(Field[T]):
    """Several values under one name (checkboxes, repeated inputs), at most `limit`."""

    def __init__(
        self,
        label: str = "",
        *,
        alias: str | None = None,
        limit: int = MAX_CHOICES,
        too_many: str | None = None,
    ) -> None:
        super().__init__(label, alias=alias)
        self.limit = limit
        self.too_many = too_many  # the message over the limit ({limit} and {key} filled in)

    def read(self, source: Any) -> list[str]:
        return _texts(source, self.key)[: self.limit + 1]  # one over the limit is refused

    def capped(self, typed: Any, errors: dict[str, str]) -> list[str]:
        values = cap_list(list(typed), self.key, errors, self.limit)
        if self.too_many and self.key in errors:
            errors[self.key] = self.too_many.format(limit=self.limit, key=self.key)
        return values


class Choices(_Many[list[str]]):
    """Values chosen from a vocabulary, or typed into repeated inputs."""

    def clean(self, typed: Any, errors: dict[str, str]) -> list[str]:
        return self.capped(typed, errors)


class Ids(_Many[list[int]]):
    """Ids the page itself wrote into checkboxes or links; one that is no id names nothing
    and is left out (only a hand-made request sends one)."""

    def clean(self, typed: Any, errors: dict[str, str]) -> list[int]:
        return [i for i in map(parse_id, self.capped(typed, errors)) if i is not None]


class Pairs(_Many[list[tuple[int, int]]]):
    """Checkbox values "id:id" the page wrote (a referral and the mentor chosen for it);
    one that is not such a pair is left out, as with `Ids`."""

    def clean(self, typed: Any, errors: dict[str, str]) -> list[tuple[int, int]]:
        pairs = []
        for value in self.capped(typed, errors):
            left, _, right = value.partition(":")
            first, second = parse_id(left), parse_id(right)
            if first is not None and second is not None:
                pairs.append((first, second))
        return pairs

"""Page forms: a class per form declares its fields, parses what was sent, keeps what was
typed and collects Danish errors that name the field.

    class RateForm(Form):
        mentor_id = Integer("Mentor", required="Vælg en mentor.")
        valid_from = Date("Gyldig fra", required="Skriv datoen, satsen gælder fra.")

    def add_rate(..., form: RateForm = Depends(RateForm.from_request)):
        if form.valid:
            try:
                service.add_rate(..., valid_from=form.valid_from)  # a date
            except DomainError as error:
                form.refuse(error, "valid_from")
        if not form.valid:
            return render(request, "mentors/rates.html", {"form": form, ...}, form.status)

On the instance a field is its parsed value; templates show what was typed with
`form.get(name)` and the errors with `form.errors` (macros in templates/base/forms.html).
A field that failed has no value: read values only while `form.valid`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Self

from fastapi import Request

from service.core.errors import DomainError, Invalid
from service.web.fields import (
    Choices,
    Date,
    Decimal,
    Field,
    Flag,
    Id,
    Ids,
    Integer,
    NoValue,
    Pairs,
    Text,
    cap_list,
    parse_date,
    parse_decimal,
    parse_id,
    parse_int,
)

__all__ = [
    "Choices",
    "Date",
    "Decimal",
    "Field",
    "Flag",
    "Form",
    "Id",
    "Ids",
    "Integer",
    "NoValue",
    "Pairs",
    "Text",
    "cap_list",
    "form_class",
    "parse_date",
    "parse_decimal",
    "parse_id",
    "parse_int",
]


class Form:
    """A form of declared fields: `data` as typed, `errors` by field, values as attributes."""

    declared: ClassVar[tuple[Field[Any], ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        found = {
            f.name: f for base in reversed(cls.__mro__[1:]) for f in getattr(base, "declared", ())
        }
        found.update({n: v for n, v in vars(cls).items() if isinstance(v, Field)})
        cls.declared = tuple(found.values())

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        """An unsent form showing `data` (stored values, defaults) and no errors."""
        given = data or {}
        self.data: dict[str, Any] = {f.key: f.read(given) for f in self.declared if f.key in given}
        self.errors: dict[str, str] = {}
        self._values: dict[str, Any] = {}
        self._status = 422

    @classmethod
    def parse(cls, source: Any) -> Self:
        """Read and parse every field of `source` (form data, query parameters, a dict)."""
        form = cls()
        for field in cls.declared:
            typed = form.data[field.key] = field.read(source)
            value = field.clean(typed, form.errors)
            if field.key not in form.errors:
                form._values[field.name] = value
        form.check()
        return form

    @classmethod
    async def from_request(cls, request: Request) -> Self:
        """The posted form (a dependency: `form: XForm = Depends(XForm.from_request)`)."""
        return cls.parse(await request.form())

    @classmethod
    def from_query(cls, request: Request) -> Self:
        """The form of a GET request's query parameters."""
        return cls.parse(request.query_params)

    def check(self) -> None:
        """Rules across fields or beyond a field's type; a subclass adds its errors here."""

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def status(self) -> int:
        """The status to answer with: 200, or 422 (or the one `refuse` was given)."""
        return 200 if self.valid else self._status

    def error(self, key: str, message: str) -> None:
        """Add an error for a field (the first error of a field is the one shown)."""
        self.errors.setdefault(key, message)

    def add_errors(self, errors: Mapping[str, str]) -> None:
        for key, message in errors.items():
            self.error(key, message)

    def refuse(self, error: DomainError, key: str, status: int = 422) -> None:
        """A service refused the change: its message goes by its field, or by `key`;
        `status` is the answer's (pages showing the refused state pass `error.status`)."""
        self.errors[error.field or key] = error.message
        self._status = status

    def or_raise(self) -> Self:
        """For a form whose page has no place for errors: the first one, as `Invalid`."""
        for key, message in self.errors.items():
            raise Invalid(message, field=key)
        return self

    # What templates read: the typed text by the input's name.
    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def __contains__(self, key: object) -> bool:
        return key in self.data


def form_class(name: str, fields: Mapping[str, Field[Any]], base: type[Form] = Form) -> Any:
    """A form class with fields known only at run time (one per weight criterion)."""
    return type(name, (base,), dict(fields))

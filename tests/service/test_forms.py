"""The page form helper: parsed values, what was typed, Danish errors naming the field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as Dec

import pytest
from starlette.datastructures import FormData

from service.core.errors import Conflict, Invalid
from service.web.forms import (
    Choices,
    Date,
    Decimal,
    Flag,
    Form,
    Id,
    Ids,
    Integer,
    NoValue,
    Pairs,
    Text,
)


class RateForm(Form):
    mentor_id = Integer("Mentor", required="Vælg en mentor.")
    valid_from = Date("Gyldig fra")
    rate = Decimal("Timesatsen")
    note = Text(strip=True)
    active = Flag()
    languages = Choices(limit=2)
    start = Date("Fra-datoen", alias="from")

    def check(self) -> None:
        if self.note == "nej":
            self.error("note", "Ikke nej.")


def sent(*pairs: tuple[str, str]) -> RateForm:
    return RateForm.parse(FormData(list(pairs)))


def test_values_parse_and_the_typed_text_is_kept():
    form = sent(
        ("mentor_id", "7"),
        ("valid_from", "2026-01-05"),
        ("rate", "412,5"),
        ("note", "  hej "),
        ("active", "1"),
        ("languages", "da"),
        ("languages", "en"),
        ("from", "2026-02-01"),
    )
    assert form.valid and form.status == 200
    assert form.mentor_id == 7 and form.valid_from == date(2026, 1, 5)
    assert form.rate == Dec("412.50") and form.note == "hej" and form.active is True
    assert form.languages == ["da", "en"] and form.start == date(2026, 2, 1)
    assert form.get("rate") == "412,5" and form["note"] == "  hej " and form.get("from")


def test_errors_name_the_field_in_danish_and_keep_what_was_typed():
    form = sent(("valid_from", "i går"), ("rate", "1,234"), ("languages", "a"), ("note", "nej"))
    assert form.languages == ["a"]  # a list field within its limit parses
    assert form.errors == {
        "mentor_id": "Vælg en mentor.",
        "valid_from": "Gyldig fra skal være en gyldig dato.",
        "rate": "Timesatsen må højst have 2 decimaler.",
        "note": "Ikke nej.",
    }
    assert form.status == 422 and form.get("valid_from") == "i går"
    with pytest.raises(NoValue):
        form.valid_from  # noqa: B018 (a field that failed has no value)


def test_full_width_digits_and_long_lists_are_refused():
    form = sent(("mentor_id", "７"), *[("languages", str(i)) for i in range(10)])
    assert form.errors["mentor_id"] == "Mentor skal være et helt tal."
    assert form.errors["languages"] == "Højst 2 valg i dette felt."
    assert len(form.get("languages")) == 3  # never more than one over the limit is kept


def test_files_and_missing_fields_read_as_empty():
    form = RateForm.parse(FormData([("note", object()), ("mentor_id", "1")]))
    assert form.note == "" and form.active is False and form.languages == []


def test_a_refusal_names_its_field_or_the_default():
    form = sent(("mentor_id", "1"))
    form.refuse(Invalid("Forkert sats.", field="rate"), "note")
    assert form.errors == {"rate": "Forkert sats."} and form.status == 422
    error = Conflict("Findes allerede.")
    form.refuse(error, "note", error.status)  # a page showing the refused state says 409
    assert form.errors["note"] == "Findes allerede." and form.status == 409


def test_an_unsent_form_shows_its_values_without_errors():
    form = RateForm({"note": "gemt", "languages": ["da"]})
    assert form.valid and form.get("note") == "gemt" and form.get("languages") == ["da"]
    assert form.get("rate", "0,50") == "0,50"


class Chosen(Form):
    mentor_id = Id("Mentor", invalid="Vælg en mentor på listen.")
    henvisning = Ids(limit=3, too_many="Højst {limit} valg ad gangen i feltet {key}.")
    row = Pairs()


def test_ids_the_page_wrote():
    form = Chosen.parse(
        FormData(
            [
                ("mentor_id", "99999999999"),
                ("henvisning", "4"),
                ("henvisning", "x"),
                ("henvisning", "0"),
                ("row", "1:2"),
                ("row", "1:"),
                ("row", "+3:4"),
            ]
        )
    )
    assert form.errors == {"mentor_id": "Vælg en mentor på listen."}
    assert form.henvisning == [4] and form.row == [(1, 2)]
    many = Chosen.parse(FormData([("henvisning", str(i)) for i in range(1, 6)]))
    with pytest.raises(Invalid, match=r"Højst 3 valg ad gangen i feltet henvisning\."):
        many.or_raise()

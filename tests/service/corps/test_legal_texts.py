"""The legal references users read keep their section sign (a rewrite once dropped it)."""

import re
from pathlib import Path

from service.corps import vocab
from service.corps.referral_drafts import REVISABLE

ROOT = Path(__file__).resolve().parents[3]


def test_the_legal_basis_label_names_the_section():
    assert vocab.LEGAL_BASES["lab_and_sel85"] == "LAB og serviceloven § 85"


def test_the_tasks_field_label_names_the_section():
    assert REVISABLE["sel85_tasks"] == "Opgaver efter § 85"


def test_no_text_mentions_section_85_without_its_sign():
    bare = re.compile(r"(serviceloven|efter) +85\b")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for package in ("service", "logbook", "reports")
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if bare.search(line)
    ]
    assert found == []

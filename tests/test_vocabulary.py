"""One vocabulary: every code of every enum or choice has exactly one Danish label, in
`vocabulary`, and no other module (nor template) writes its own label for the same codes.
"""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Iterator, Mapping
from typing import Any, get_args

import pytest

import vocabulary
from matching.weights import CRITERIA
from service.api import logbook as logbook_api
from service.api import refund as refund_api
from service.api import time_entries as time_api
from service.audit.models import Action, Purpose
from service.auth.models import Role
from service.corps import referral_workflow
from service.jobs.registry import JOBS
from tests.test_architecture import ROOT, project_sources
from vocabulary import corps, logbook, system

# Every label set of the vocabulary, by a readable name.
SETS: dict[str, Mapping[Any, str]] = {
    f"{module.__name__}.{name}": value
    for module in (corps, logbook, system)
    for name, value in vars(module).items()
    if name.isupper() and isinstance(value, dict) and name != "ROLE_AREAS"
}
SETS |= {f"vocabulary.corps.ROLE_AREAS[{role}]": areas for role, areas in corps.ROLE_AREAS.items()}

# (codes of an enum or a choice in the code, the label set that must name exactly them)
CHOICES: list[tuple[str, set[Any], Mapping[Any, Any]]] = [
    ("Role", {r.value for r in Role}, system.USER_ROLES),
    ("audit Action", {a.value for a in Action}, system.AUDIT_ACTIONS),
    ("audit Purpose", {p.value for p in Purpose}, system.AUDIT_PURPOSES),
    ("referral statuses", set(referral_workflow.ALLOWED), corps.REFERRAL_STATUSES),
    ("referral actions", set(referral_workflow.ACTIONS), corps.REFERRAL_ACTIONS),
    ("API entry kind", set(get_args(logbook_api.Kind)), logbook.ENTRY_KINDS),
    ("API observation", set(get_args(logbook_api.Observation)), logbook.OBSERVATIONS),
    ("API progress", {-1, 0, 1}, logbook.PROGRESS),
    ("API time category", set(get_args(time_api.Category)), logbook.TIME_CATEGORIES),
    ("short time category", set(logbook.TIME_CATEGORIES), logbook.TIME_CATEGORIES_SHORT),
    ("matching criteria", set(CRITERIA), corps.MATCHING_CRITERIA),
    ("scheduled jobs", set(JOBS), system.JOBS),
    ("focus roles and their areas", set(corps.FOCUS_ROLES), corps.ROLE_AREAS),
]


@pytest.mark.parametrize(("what", "codes", "labels"), CHOICES, ids=[c[0] for c in CHOICES])
def test_every_code_of_every_choice_has_exactly_one_label(what, codes, labels):
    assert set(labels) == codes, what


def test_refundable_categories_are_time_categories():
    assert set(get_args(refund_api.RefundableCategory)) < set(logbook.TIME_CATEGORIES)


@pytest.mark.parametrize("name", sorted(SETS))
def test_labels_are_danish_words_and_distinct(name):
    labels = SETS[name]
    texts = list(labels.values())
    assert all(isinstance(t, str) and t.strip() == t and t for t in texts), name
    assert len(set(texts)) == len(texts), f"{name}: two codes share a label"
    for code, text in labels.items():
        if isinstance(code, str) and "_" in code:
            assert text != code, f"{name}: {code} has no Danish label"


def test_the_time_categories_and_roles_carry_the_handbooks_words():
    # One thing, one name (issue 13, item 8), as the handbook writes it (pp. 10, 19).
    assert logbook.TIME_CATEGORIES["citizen_contact"] == "Personlig kontakt og samtale med borgeren"
    assert corps.FOCUS_ROLES["personal_support"] == "Personlig vejleder og støtte"


def _record_calls(sources: Mapping[str, tuple[str, bool]]) -> Iterator[tuple[str, str]]:
    """(module, entity) of every audit row recorded with a literal entity."""
    for module, (source, _) in sources.items():
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                value = keyword.value
                if (
                    keyword.arg == "entity"
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                ):
                    yield module, value.value


SOURCES = project_sources()


def test_every_record_kind_in_the_audit_trail_has_a_label():
    found = {entity: module for module, entity in _record_calls(SOURCES)}
    assert len(found) > 10
    assert {e: m for e, m in found.items() if e not in system.RECORD_KINDS} == {}


def _label_sets_named(keys: list[Any]) -> list[str]:
    """The vocabulary sets that most of `keys` (two at least) are codes of."""
    return [
        name
        for name, labels in SETS.items()
        if len(common := set(keys) & set(labels)) >= 2 and 2 * len(common) >= len(set(keys))
    ]


SLUG = re.compile(r"[a-z0-9_-]+")  # a code or a path, not words a person reads


def _is_text(value: object) -> bool:
    """A name a person reads: not a code or path, nor a sentence (a message, not a label)."""
    return isinstance(value, str) and not SLUG.fullmatch(value) and not value.endswith(".")


def _literal_label_dicts(module: str, source: str) -> Iterator[str]:
    """Dict literals mapping codes of one vocabulary set to literal Danish texts."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Dict) or len(node.keys) < 2:
            continue
        keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
        texts = [v for v in node.values if isinstance(v, ast.Constant) and _is_text(v.value)]
        if len(keys) != len(node.keys) or len(texts) != len(node.values):
            continue
        for name in _label_sets_named(keys):
            yield f"{module}:{node.lineno} labels codes of {name}"


def test_no_module_defines_its_own_labels_for_the_vocabularys_codes():
    found = [
        hit
        for module, (source, _) in SOURCES.items()
        if not module.startswith("vocabulary")
        for hit in _literal_label_dicts(module, source)
    ]
    assert found == []


def test_the_scan_finds_a_label_dict_of_its_own():
    source = 'LABELS = {"citizen_contact": "Kontakt", "administration": "Admin"}\n'
    assert list(_literal_label_dicts("x", source)) == [
        "x:1 labels codes of vocabulary.logbook.TIME_CATEGORIES",
        "x:1 labels codes of vocabulary.logbook.TIME_CATEGORIES_SHORT",
    ]


def _modules() -> Iterator[str]:
    for module in SOURCES:
        if module.startswith(("service.migrations", "service.main")):
            continue
        yield module


def test_every_labels_name_in_a_module_is_the_vocabularys_own_dict():
    """A module's label dict is the vocabulary's object, never a copy or a derived one."""
    objects = {id(labels) for labels in SETS.values()}
    copies = []
    for module in _modules():
        for name, value in vars(importlib.import_module(module)).items():
            if not isinstance(value, dict) or id(value) in objects or len(value) < 2:
                continue
            if all(_is_text(v) for v in value.values()) and _label_sets_named(list(value)):
                copies.append(f"{module}.{name}")
    assert copies == []


JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)  # expressions, not the page's text
JINJA_PAIR = re.compile(r"['\"](\w+)['\"]\s*:\s*(?:'([^']*)'|\"([^\"]*)\")")


def test_no_template_writes_its_own_labels():
    found = []
    for path in sorted((ROOT / "service" / "templates").rglob("*.html")):
        pairs = [p for e in JINJA.findall(path.read_text()) for p in JINJA_PAIR.findall(e)]
        keys = [key for key, single, double in pairs if _is_text(single or double)]
        if _label_sets_named(keys):
            found.append(f"{path.relative_to(ROOT)}: {_label_sets_named(keys)}")
    assert found == []


def test_in_sentence_keeps_acronyms():
    assert vocabulary.in_sentence("Personlig vejleder og støtte") == "personlig vejleder og støtte"
    assert vocabulary.in_sentence("ADHD") == "ADHD"
    assert vocabulary.label(corps.REFERRAL_STATUSES, "active") == "Aktiv"
    assert vocabulary.label(corps.REFERRAL_STATUSES, "unknown") == "unknown"

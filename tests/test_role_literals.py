"""Roles are named through `Role`: no bare "coordinator", "mentor"... in the application code.

A string equal to a role's value is a role literal unless it is a dict display's key (a
template context or record field named after a mentor, not a role), an audit `entity=`
(a table name), or listed in ALLOWED with the reason it is no role. Migrations are frozen
history and may spell roles out.
"""

from __future__ import annotations

import ast
from pathlib import Path

from service.auth.models import Role

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("service", "logbook", "reports")
VALUES = {role.value for role in Role}
ENUM = "service/auth/models.py"  # the enum itself spells each value once

# (file, text of the enclosing statement that marks the use): why it is no role.
ALLOWED: dict[tuple[str, str], str] = {
    ("service/auth/passwords.py", "_SERVICE_WORDS"): "words a password must not be built on",
    ("service/demo/mentors.py", "DEMO_MENTOR ="): "the demo mentor's e-mail name",
    ("service/demo/referrals.py", 'case["mentor"]'): "a demo case's field: which mentor",
    ("service/pages/admin_audit.py", "record_run("): "where a journal check ran: the admin page",
    ("service/pages/mentors.py", 'query_params.get("mentor")'): "a query parameter's name",
}


def _found() -> list[tuple[str, int, str, str]]:
    paths = [p for package in PACKAGES for p in (ROOT / package).rglob("*.py")]
    return [
        hit
        for path in paths
        if "migrations" not in path.parts
        for hit in role_literals(path.relative_to(ROOT).as_posix(), path.read_text())
    ]


def _exempt_nodes(tree: ast.AST) -> set[int]:
    """Constants in positions that name fields or tables, not roles."""
    exempt: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            exempt |= {id(key) for key in node.keys if key is not None}
        elif isinstance(node, ast.keyword) and node.arg == "entity":
            exempt.add(id(node.value))
    return exempt


def _statements(tree: ast.AST) -> list[ast.stmt]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.stmt)]


def role_literals(name: str, source: str) -> list[tuple[str, int, str, str]]:
    """(file, line, value, enclosing statement) of each role literal not exempt."""
    tree = ast.parse(source, filename=name)
    exempt = _exempt_nodes(tree)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and node.value in VALUES):
            continue
        if id(node) in exempt or name == ENUM:
            continue
        # The smallest statement around the literal: what ALLOWED entries are matched against.
        around = min(
            (
                s
                for s in _statements(tree)
                if s.lineno <= node.lineno and (s.end_lineno or s.lineno) >= node.lineno
            ),
            key=lambda s: (s.end_lineno or s.lineno) - s.lineno,
        )
        found.append((name, node.lineno, node.value, ast.get_source_segment(source, around) or ""))
    return found


def _allowed(name: str, statement: str) -> tuple[str, str] | None:
    return next(
        (key for key in ALLOWED if key[0] == name and key[1] in statement),
        None,
    )


def test_no_bare_role_literals():
    found = _found()
    bare = [(name, line, value) for name, line, value, stmt in found if not _allowed(name, stmt)]
    assert bare == [], "use Role.<name> (service.auth.models), or add to ALLOWED with a reason"


def test_every_allowance_is_used():
    used = {_allowed(name, stmt) for name, _line, _value, stmt in _found()}
    assert set(ALLOWED) - used == set()


def test_the_scan_finds_a_bare_role():
    source = 'GUARD = requires("coordinator")\nCONTEXT = {"mentor": 1}\nif role == "admin": pass\n'
    hits = [(value, line) for _n, line, value, _s in role_literals("service/x.py", source)]
    assert hits == [("coordinator", 1), ("admin", 3)]

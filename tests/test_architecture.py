"""Arrows point inward: the pure packages import nothing of the web or the database."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = ("fastapi", "starlette", "sqlmodel", "sqlalchemy", "service")


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def offenders(paths) -> dict[str, set[str]]:
    found = {}
    for path in paths:
        bad = imports_of(path) & set(FORBIDDEN)
        if bad:
            found[str(path.relative_to(ROOT))] = bad
    return found


def test_matching_is_pure():
    paths = list((ROOT / "matching").rglob("*.py"))
    assert paths and offenders(paths) == {}


def test_report_computations_are_pure():
    paths = list((ROOT / "reports" / "core").rglob("*.py"))
    assert paths and offenders(paths) == {}


def test_only_service_knows_fastapi():
    for package in ("logbook", "matching", "reports"):
        for path in (ROOT / package).rglob("*.py"):
            assert not imports_of(path) & {"fastapi", "starlette"}, path

"""The layout's rules, read from the code's own imports (ast), so a violation fails here.

- The pure cores import nothing of the database, the web or the application.
- Only `service/` knows the web framework.
- Components sit in one declared order (LAYERS); a module imports its own component or
  lower ones only.
- No import cycles, between modules or between components.
- Imports of project modules are module-level (the CLI alone imports lazily, to start fast).

Imports under `if TYPE_CHECKING:` count like any other. Each rule is also run over a small
synthetic tree that breaks it, so no rule can pass by checking nothing.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("service", "logbook", "matching", "reports", "vocabulary")
PURE_CORES = ("vocabulary", "matching", "reports.core")
DATABASE = ("sqlmodel", "sqlalchemy")
WEB = ("fastapi", "starlette")
LAZY_IMPORTS_ALLOWED = ("service.cli",)  # the CLI imports what a command needs, when run

# The layer order of the components, bottom first. A module may import modules of its own
# component and of any lower layer; components sharing a layer may not import each other.
# A component is a package or a module; a module belongs to the longest one that names it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("vocabulary",),  # every code's Danish label, once: pure, beneath everything
    ("matching", "reports.core"),  # the pure cores: no database, no web, no service
    ("service.core",),  # settings, database, types, clock, errors, Danish formatting
    ("service.audit",),  # the audit trail and the hash chains (knows no User, no logbook)
    ("service.auth",),  # accounts, sessions, lock-out
    ("service.notifications",),  # the inbox and the e-mail digest: plain data in
    ("service.corps",),  # mentors, citizens, referrals, agreements, matching's records
    ("logbook",),
    ("reports",),  # refund: rates, rules, claims, exports, key figures
    ("service.retention",),  # the only deletion of journal rows
    ("service.jobs",),  # the scheduler's registry and runner
    ("service.all_models",),  # every table, for Alembic and the tests
    ("service.demo",),  # demo data through the domain services
    ("service.web",),  # templates, forms, guard, error mapping, middleware
    ("service.api", "service.pages"),
    ("service.web.app",),  # the app factory mounts the routers
    ("service.cli", "service.main", "service.migrations"),
)

# Known violations (importer, imported) that every rule skips; an entry that no longer
# occurs fails the test. Empty: keep it so.
ALLOWED: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class Import:
    importer: str  # the importing module
    target: str  # the imported module (or the package a name was taken from)
    line: int
    lazy: bool  # inside a function or class body, not at module level

    def __str__(self) -> str:
        where = "lazily " if self.lazy else ""
        return f"{self.importer}:{self.line} {where}imports {self.target}"


def module_name(path: Path, root: Path) -> tuple[str, bool]:
    """(dotted name, is a package's __init__) of a source file under `root`."""
    parts = path.relative_to(root).with_suffix("").parts
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def project_sources(root: Path = ROOT) -> dict[str, tuple[str, bool]]:
    """Module name -> (source, is a package) for every module of the project's packages."""
    found = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            name, is_package = module_name(path, root)
            found[name] = (path.read_text(), is_package)
    return found


def _absolute(importer: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".")
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_in(
    importer: str, source: str, is_package: bool, modules: Iterable[str]
) -> list[Import]:
    """Every import statement of one module; `from a import b` names `a.b` if it is a module."""
    known = set(modules)
    found: list[Import] = []

    def visit(node: ast.AST, lazy: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = lazy or isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef
            )
            if isinstance(child, ast.Import):
                for alias in child.names:
                    found.append(Import(importer, alias.name, child.lineno, inner))
            elif isinstance(child, ast.ImportFrom):
                base = _absolute(importer, is_package, child)
                for alias in child.names:
                    full = f"{base}.{alias.name}"
                    target = full if full in known else base
                    found.append(Import(importer, target, child.lineno, inner))
            visit(child, inner)

    visit(ast.parse(source, filename=importer), False)
    return list(dict.fromkeys(found))


def all_imports(sources: Mapping[str, tuple[str, bool]]) -> list[Import]:
    found = []
    for name, (source, is_package) in sources.items():
        found += imports_in(name, source, is_package, sources)
    return found


def within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def in_project(module: str) -> bool:
    return module.split(".")[0] in PACKAGES


def component_of(module: str, layers: tuple[tuple[str, ...], ...] = LAYERS) -> str | None:
    names = [c for layer in layers for c in layer if within(module, c)]
    return max(names, key=len) if names else None


def layer_of(component: str, layers: tuple[tuple[str, ...], ...] = LAYERS) -> int:
    return next(i for i, layer in enumerate(layers) if component in layer)


def checked(
    imports: Iterable[Import], allowed: frozenset[tuple[str, str]] = ALLOWED
) -> list[Import]:
    """The project-internal imports, without the allowlisted ones."""
    return [
        i
        for i in imports
        if in_project(i.target) and (i.importer, i.target) not in allowed and i.target != i.importer
    ]


# --- the rules: each returns its violations ---


def impure(imports: Iterable[Import], cores: Iterable[str] = PURE_CORES) -> list[str]:
    """Imports of the database, the web or the application from a pure core."""
    banned = (*DATABASE, *WEB, "service")
    return [
        str(i)
        for i in imports
        if any(within(i.importer, core) for core in cores)
        and any(within(i.target, b) for b in banned)
    ]


def web_outside_service(imports: Iterable[Import]) -> list[str]:
    """Imports of the web framework from outside `service/`."""
    return [
        str(i)
        for i in imports
        if not within(i.importer, "service") and any(within(i.target, w) for w in WEB)
    ]


def unplaced(modules: Iterable[str], layers: tuple[tuple[str, ...], ...] = LAYERS) -> list[str]:
    """Modules that belong to no component (a bare package root with no imports may)."""
    return [m for m in modules if component_of(m, layers) is None and m not in PACKAGES]


def upward(
    imports: Iterable[Import],
    layers: tuple[tuple[str, ...], ...] = LAYERS,
    allowed: frozenset[tuple[str, str]] = ALLOWED,
) -> list[str]:
    """Imports of a higher component or of another component in the same layer."""
    found = []
    for i in checked(imports, allowed):
        source, target = component_of(i.importer, layers), component_of(i.target, layers)
        if source is None or target is None or source == target:
            continue
        if layer_of(target, layers) >= layer_of(source, layers):
            found.append(f"{i} ({source} may not import {target})")
    return found


def lazy(
    imports: Iterable[Import],
    allowed: frozenset[tuple[str, str]] = ALLOWED,
    exempt: Iterable[str] = LAZY_IMPORTS_ALLOWED,
) -> list[str]:
    """Project imports inside functions or classes (which hide cycles and slow first calls)."""
    return [str(i) for i in checked(imports, allowed) if i.lazy and i.importer not in exempt]


def cycles(edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """The strongly connected groups of more than one node (Tarjan), each sorted."""
    graph: dict[str, set[str]] = {}
    for a, b in edges:
        if a != b:
            graph.setdefault(a, set()).add(b)
            graph.setdefault(b, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return sorted(groups)


def module_cycles(imports: Iterable[Import], modules: Iterable[str]) -> list[list[str]]:
    """Cycles between modules (an import of a package counts as an import of its __init__)."""
    known = set(modules)
    return cycles((i.importer, i.target) for i in checked(imports) if i.target in known)


def component_cycles(
    imports: Iterable[Import], layers: tuple[tuple[str, ...], ...] = LAYERS
) -> list[list[str]]:
    """Cycles between components, found from the imports alone (whatever LAYERS says)."""
    edges = []
    for i in checked(imports):
        source, target = component_of(i.importer, layers), component_of(i.target, layers)
        if source and target:
            edges.append((source, target))
    return cycles(edges)


# --- the project ---

SOURCES = project_sources()
IMPORTS = all_imports(SOURCES)


def test_the_project_is_read():
    assert len(SOURCES) > 100
    assert len(checked(IMPORTS)) > 300


def test_matching_and_reports_core_are_pure():
    for core in PURE_CORES:
        assert any(within(m, core) for m in SOURCES), core
    assert impure(IMPORTS) == []


def test_only_service_knows_fastapi():
    assert web_outside_service(IMPORTS) == []


def test_every_module_belongs_to_a_component():
    assert unplaced(SOURCES) == []
    components = [c for layer in LAYERS for c in layer]
    assert len(components) == len(set(components))
    for component in components:
        assert any(within(m, component) for m in SOURCES), f"{component} names no module"


def test_imports_point_down_the_layers():
    assert upward(IMPORTS) == []


def test_no_import_cycles():
    assert module_cycles(IMPORTS, SOURCES) == []
    assert component_cycles(IMPORTS) == []


def test_project_imports_are_module_level():
    assert lazy(IMPORTS) == []


def test_the_allowlist_only_names_imports_that_still_exist():
    present = {(i.importer, i.target) for i in IMPORTS}
    assert sorted(ALLOWED - present) == []


# --- each rule catches a synthetic violation ---

SYNTHETIC_LAYERS = (("matching",), ("service.core",), ("service.web",), ("service.cli",))


def synthetic(files: dict[str, str]) -> list[Import]:
    sources = {name: (source, False) for name, source in files.items()}
    return all_imports(sources)


def test_the_checker_reads_every_kind_of_import():
    found = synthetic(
        {
            "service.core.a": (
                "from typing import TYPE_CHECKING\n"
                "import service.core.b\n"
                "from service.core import c\n"
                "from . import d\n"
                "if TYPE_CHECKING:\n"
                "    from service.web.x import Y\n"
                "class K:\n"
                "    import service.cli\n"
            ),
            "service.core.b": "",
            "service.core.c": "",
            "service.core.d": "",
        }
    )
    assert {(i.target, i.lazy) for i in checked(found)} == {
        ("service.core.b", False),
        ("service.core.c", False),
        ("service.core.d", False),
        ("service.web.x", False),
        ("service.cli", True),
    }


def test_each_rule_catches_a_violation():
    found = synthetic(
        {
            "matching.engine": "import sqlalchemy\nfrom service.core import db\n",
            "logbook.entries": "from fastapi import Request\n",
            "service.core.db": "from service.web.app import app\n",
            "service.web.app": "def start():\n    from service.core import db\n",
            "service.cli": "def run():\n    from service.web.app import app\n",
        }
    )
    assert len(impure(found)) == 2
    assert web_outside_service(found) == ["logbook.entries:1 imports fastapi"]
    assert upward(found, SYNTHETIC_LAYERS, frozenset()) == [
        "matching.engine:2 imports service.core.db (matching may not import service.core)",
        "service.core.db:1 imports service.web.app (service.core may not import service.web)",
    ]
    assert lazy(found, frozenset()) == ["service.web.app:2 lazily imports service.core.db"]
    assert unplaced(["service.corps.x"], SYNTHETIC_LAYERS) == ["service.corps.x"]
    assert cycles([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]) == [["a", "b", "c"]]
    assert module_cycles(found, ["service.core.db", "service.web.app"]) == [
        ["service.core.db", "service.web.app"]
    ]
    assert component_cycles(found, SYNTHETIC_LAYERS) == [["service.core", "service.web"]]


def test_components_in_one_layer_may_not_import_each_other():
    layers = (("service.api", "service.pages"),)
    found = synthetic({"service.api.a": "from service.pages import b\n", "service.pages.b": ""})
    assert len(upward(found, layers, frozenset())) == 1


def test_the_allowlist_exempts_exactly_its_imports():
    found = synthetic({"service.core.db": "from service.web.app import app\n"})
    allowed = frozenset({("service.core.db", "service.web.app")})
    assert upward(found, SYNTHETIC_LAYERS, allowed) == []
    assert len(upward(found, SYNTHETIC_LAYERS, frozenset())) == 1

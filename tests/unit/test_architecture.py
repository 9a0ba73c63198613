"""The dependency direction of ARCHITECTURE.md: imports point inward only, and contexts meet only
through what their domain packages export."""

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# room -> first-party modules it must never import
FORBIDDEN = {
    "chalicelib/domain": (
        "chalicelib.services",
        "chalicelib.adapters",
        "chalicelib.api",
        "chalicelib.gql",
        "chalicelib.bootstrap",
        "boto3",
        "botocore",
        "pynamodb",
        "chalice",
        "strawberry",
    ),
    "chalicelib/services": (
        "chalicelib.adapters",
        "chalicelib.api",
        "chalicelib.gql",
        "chalicelib.bootstrap",
        "boto3",
        "pynamodb",
        "chalice",
        "strawberry",
    ),
    "chalicelib/adapters": (
        "chalicelib.services",
        "chalicelib.api",
        "chalicelib.gql",
        "chalicelib.bootstrap",
    ),
    "chalicelib": ("functions", "local", "app", "tests", "bench"),
    "functions": ("local", "tests"),
}


# domain context -> the other contexts its domain may use (the shared kernel, chalicelib/domain/*.py,
# is everyone's and uses none); it must stay acyclic
CONTEXT_USES: dict[str, set[str]] = {
    "incidents": set(),
    "sensing": {"incidents"},
    "access": {"incidents"},
    "cameras": {"incidents"},
    "response": {"incidents", "access"},
}
# rooms grouped by context: chalicelib/<room>/<context>/… or chalicelib/<room>/<context>.py
CONTEXT_ROOMS = ("domain", "services", "gql", "adapters/dynamodb", "adapters/memory")


def imports(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    """Every absolute import of the module, anywhere in it: (module, names imported from it)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found: list[tuple[str, tuple[str, ...]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, tuple(alias.name for alias in node.names)))
    return found


def imported_modules(path: Path) -> set[str]:
    return {module for module, _ in imports(path)}


def context_of(path: Path, room: str) -> str | None:
    first = path.relative_to(ROOT / "chalicelib" / room).parts[0].removesuffix(".py")
    return first if first in CONTEXT_USES else None


def used_context(module: str) -> str | None:
    parts = module.split(".")
    if parts[:2] == ["chalicelib", "domain"] and len(parts) > 2 and parts[2] in CONTEXT_USES:
        return parts[2]
    return None


@pytest.mark.parametrize("room", sorted(FORBIDDEN))
def test_given_a_room_then_none_of_its_modules_imports_an_outer_room(room):
    offenders = []
    for path in sorted((ROOT / room).rglob("*.py")):
        for module in imported_modules(path):
            if any(module == banned or module.startswith(banned + ".") for banned in FORBIDDEN[room]):
                offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offenders == []


def test_given_the_graphql_contract_folder_then_it_is_never_a_python_package():
    assert not (ROOT / "graphql" / "__init__.py").exists()


def test_given_the_domain_then_every_context_package_is_declared():
    packages = {path.parent.name for path in (ROOT / "chalicelib" / "domain").glob("*/__init__.py")}
    assert packages == set(CONTEXT_USES)


@pytest.mark.parametrize("room", CONTEXT_ROOMS)
def test_given_a_room_then_its_contexts_use_other_contexts_only_through_their_domain_packages(room):
    offenders = []
    for path in sorted((ROOT / "chalicelib" / room).rglob("*.py")):
        own = context_of(path, room)
        for module, names in imports(path) if own else []:
            other = used_context(module)
            if other is None or other == own:
                continue
            exported = importlib.import_module(f"chalicelib.domain.{other}").__all__
            if module != f"chalicelib.domain.{other}" or not set(names) <= set(exported):
                offenders.append(f"{path.relative_to(ROOT)} imports {module} {', '.join(names)}".rstrip())
    assert offenders == []


def domain_context_graph() -> dict[str, set[str]]:
    """Which contexts each domain context (and the kernel, "") imports, TYPE_CHECKING imports included."""
    graph: dict[str, set[str]] = {}
    domain = ROOT / "chalicelib" / "domain"
    for path in sorted(domain.rglob("*.py")):
        own = context_of(path, "domain") if path.parent != domain else ""
        uses = {used_context(module) for module in imported_modules(path)} - {None, own}
        graph.setdefault(own or "", set()).update(context for context in uses if context)
    return graph


def test_given_the_domain_then_each_context_uses_only_the_contexts_declared_and_the_kernel_none():
    graph = domain_context_graph()
    undeclared = {ctx: uses - CONTEXT_USES.get(ctx, set()) for ctx, uses in graph.items()}
    assert {ctx: uses for ctx, uses in undeclared.items() if uses} == {}


def test_given_the_declared_context_dependencies_then_they_form_no_cycle():
    ordered: list[str] = []
    waiting = dict(CONTEXT_USES)
    while waiting:
        ready = sorted(ctx for ctx, uses in waiting.items() if uses <= set(ordered))
        assert ready, f"a cycle among {sorted(waiting)}"
        ordered += ready
        waiting = {ctx: uses for ctx, uses in waiting.items() if ctx not in ready}


@pytest.mark.parametrize("context", sorted(CONTEXT_USES))
def test_given_a_context_package_then_each_export_is_its_modules_own_and_importing_it_loads_nothing(context):
    name = f"chalicelib.domain.{context}"
    package = importlib.import_module(name)
    typed = {  # what the type checker sees: the package's TYPE_CHECKING imports
        export: module.removeprefix(f"{name}.")
        for module, exports in imports(ROOT / "chalicelib" / "domain" / context / "__init__.py")
        if module.startswith(f"{name}.")
        for export in exports
    }
    assert sorted(package.__all__) == sorted(package._HOMES) == sorted(typed)
    assert package._HOMES == typed
    for export, module in typed.items():
        assert getattr(package, export) is getattr(importlib.import_module(f"{name}.{module}"), export)
    probe = f"import sys, {name}; print(sorted(m for m in sys.modules if m.startswith('{name}.')))"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], check=True, cwd=ROOT, capture_output=True, text=True
    )
    assert loaded.stdout.strip() == "[]"  # cold start: importing the package loads none of its modules

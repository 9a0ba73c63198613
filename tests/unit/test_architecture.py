"""The dependency direction of ARCHITECTURE.md: imports point inward only."""

import ast
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


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


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

"""One wiring point: only chalicelib/bootstrap chooses adapters and assembles a use case's dependencies;
routes, resolvers and function handlers ask it for them."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENTRY_POINTS = ("chalicelib/api", "chalicelib/gql", "functions")
# function handlers may read the messages their event sources deliver (parsing, not wiring)
MESSAGE_READERS = (
    "chalicelib.adapters.aws.s3_events",
    "chalicelib.adapters.aws.readings_queue",
    "chalicelib.adapters.aws.webhook_queue",
)


def modules_of(room: str) -> list[Path]:
    return sorted((ROOT / room).rglob("*.py"))


def assembled(tree: ast.AST) -> list[str]:
    """Names of *Dependencies classes constructed in the module."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute)
                else ""
            )
            if name.endswith("Dependencies"):
                found.append(name)
    return found


def adapter_imports(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
    return [n for n in names if n.startswith("chalicelib.adapters") and n not in MESSAGE_READERS]


@pytest.mark.parametrize("room", ENTRY_POINTS)
def test_given_an_entry_point_then_it_never_assembles_a_use_cases_dependencies(room):
    offenders = [
        f"{path.relative_to(ROOT)} builds {name}"
        for path in modules_of(room)
        for name in assembled(ast.parse(path.read_text()))
    ]
    assert offenders == []


@pytest.mark.parametrize("room", ENTRY_POINTS)
def test_given_an_entry_point_then_it_never_chooses_an_adapter(room):
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in modules_of(room)
        for name in adapter_imports(ast.parse(path.read_text()))
    ]
    assert offenders == []


def test_given_the_checks_then_they_see_an_assembly_and_an_adapter_import():
    bad = ast.parse(
        "from chalicelib.adapters.dynamodb.repositories import DynamoTaskRepository\n"
        "deps = tasks.TaskDependencies(a, b, c, d)\n"
    )
    assert assembled(bad) == ["TaskDependencies"]
    assert adapter_imports(bad) == ["chalicelib.adapters.dynamodb.repositories"]

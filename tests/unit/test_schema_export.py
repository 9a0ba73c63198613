"""The published contract (graphql/) matches the code: the exported SDL and the clients' operations."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import parse, validate

from chalicelib.gql.export import schema_sdl
from chalicelib.gql.schema import schema

CONTRACT = Path(__file__).resolve().parents[2] / "graphql"
CONSOLE_OPERATIONS = sorted((CONTRACT / "operations" / "console").glob("*.graphql"))


def test_given_the_schema_in_code_when_compared_then_graphql_schema_graphql_is_up_to_date() -> None:
    exported = (CONTRACT / "schema.graphql").read_text(encoding="utf-8")

    assert exported == schema_sdl(), "graphql/schema.graphql is stale: run `make schema` and commit it"


def test_given_the_console_when_its_operations_are_listed_then_all_v1_operations_are_there() -> None:
    assert {path.stem for path in CONSOLE_OPERATIONS} >= {"Incidents", "Incident", "RegisterDevice"}


@pytest.mark.parametrize("path", CONSOLE_OPERATIONS, ids=lambda path: path.name)
def test_given_a_console_operation_when_validated_against_the_schema_then_it_is_valid(path: Path) -> None:
    errors = validate(schema._schema, parse(path.read_text(encoding="utf-8")))

    assert not errors, f"{path.name} no longer matches the schema: {[error.message for error in errors]}"

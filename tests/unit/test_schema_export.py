"""The published contract (graphql/) matches the code: the exported SDL and the clients' operations."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import (
    EnumValueNode,
    FieldDefinitionNode,
    NonNullTypeNode,
    ObjectTypeDefinitionNode,
    parse,
    validate,
)

from chalicelib.domain.access.field_levels import FIELD_LEVELS
from chalicelib.domain.access_levels import AccessLevel
from chalicelib.gql.export import schema_sdl
from chalicelib.gql.schema import schema

CONTRACT = Path(__file__).resolve().parents[2] / "graphql"
CONSOLE_OPERATIONS = sorted((CONTRACT / "operations" / "console").glob("*.graphql"))
MOBILE_OPERATIONS = sorted((CONTRACT / "operations" / "mobile").glob("*.graphql"))


def test_given_the_schema_in_code_when_compared_then_graphql_schema_graphql_is_up_to_date() -> None:
    exported = (CONTRACT / "schema.graphql").read_text(encoding="utf-8")

    assert exported == schema_sdl(), "graphql/schema.graphql is stale: run `make schema` and commit it"


def test_given_the_console_when_its_operations_are_listed_then_every_console_use_case_is_there() -> None:
    assert {path.stem for path in CONSOLE_OPERATIONS} >= {
        "Incidents",
        "Incident",
        "RegisterDevice",
        "VerifyIncident",
        "DismissIncident",
        "ResolveIncident",
        "ReopenIncident",
        "FlagIncidentSensitive",
        "AddNote",
        "CreateGrant",
        "RevokeGrant",
        "IncidentGrants",
        "SharingPolicies",
        "CreateSharingPolicy",
        "UpdateSharingPolicy",
        "DeleteSharingPolicy",
        "AuditTrail",
        "Agencies",
    }


def exported_fields(type_name: str) -> dict[str, FieldDefinitionNode]:
    document = parse((CONTRACT / "schema.graphql").read_text(encoding="utf-8"))
    definition = next(
        node
        for node in document.definitions
        if isinstance(node, ObjectTypeDefinitionNode) and node.name.value == type_name
    )
    return {field.name.value: field for field in definition.fields or ()}


def declared_level(field: FieldDefinitionNode) -> str | None:
    levels = [
        argument.value.value
        for directive in field.directives or ()
        if directive.name.value == "access"
        for argument in directive.arguments or ()
        if argument.name.value == "level" and isinstance(argument.value, EnumValueNode)
    ]
    return levels[0] if len(levels) == 1 else None


@pytest.mark.parametrize("type_name", sorted(FIELD_LEVELS))
def test_given_a_protected_type_when_exported_then_every_field_declares_its_level_from_the_table(
    type_name: str,
) -> None:
    fields = exported_fields(type_name)

    declared = {name: declared_level(field) for name, field in fields.items()}

    assert declared == {name: level.name for name, level in FIELD_LEVELS[type_name].items()}


@pytest.mark.parametrize("type_name", sorted(FIELD_LEVELS))
def test_given_a_protected_type_when_exported_then_exactly_the_fields_above_public_are_nullable(
    type_name: str,
) -> None:
    fields = exported_fields(type_name)

    nullable = {name for name, field in fields.items() if not isinstance(field.type, NonNullTypeNode)}

    assert nullable == {name for name, level in FIELD_LEVELS[type_name].items() if level > AccessLevel.PUBLIC}


def test_given_the_sdl_when_read_then_the_access_directive_and_level_enum_are_declared() -> None:
    sdl = (CONTRACT / "schema.graphql").read_text(encoding="utf-8")

    assert "directive @access(level: AccessLevel!) on FIELD_DEFINITION" in sdl
    assert "enum AccessLevel {\n  PUBLIC\n  SUMMARY\n  OPERATIONAL\n  RESTRICTED\n}" in sdl


@pytest.mark.parametrize("path", CONSOLE_OPERATIONS + MOBILE_OPERATIONS, ids=lambda path: path.name)
def test_given_a_console_operation_when_validated_against_the_schema_then_it_is_valid(path: Path) -> None:
    errors = validate(schema._schema, parse(path.read_text(encoding="utf-8")))

    assert not errors, f"{path.name} no longer matches the schema: {[error.message for error in errors]}"

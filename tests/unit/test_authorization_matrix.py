"""The authorisation matrix of docs/authorization.md, checked against the domain's access decisions:
every role × sharing situation gets exactly the documented level. (The same table is checked field by
field through the GraphQL API in tests/integration/test_graphql_matrix.py.)"""

import pytest

from chalicelib.domain.access.decisions import decide_access
from chalicelib.domain.access.field_levels import FIELD_LEVELS
from tests.support.authorization_table import NOW, SITUATIONS, field_levels, principal, situation_levels

LEVELS = situation_levels()
FIELDS = field_levels()


def test_given_the_documented_situations_then_each_has_a_builder_and_every_role_a_column():
    assert {situation for situation, _ in LEVELS} == set(SITUATIONS)
    assert {role for _, role in LEVELS} == {
        "operator",
        "supervisor",
        "field_crew",
        "public_information_officer",
        "analyst",
        "admin",
        "public",
    }


def test_given_the_documented_field_table_then_it_is_exactly_the_domain_table():
    domain = {
        (type_, name): level for type_, fields in FIELD_LEVELS.items() for name, level in fields.items()
    }
    assert FIELDS == domain


@pytest.mark.parametrize(("situation", "role"), sorted(LEVELS))
def test_given_a_role_in_a_situation_then_its_level_is_as_documented(situation, role):
    built = SITUATIONS[situation]()
    decision = decide_access(
        principal(role, built.caller_agency), built.incident, built.policies, built.grants, built.tasks, NOW
    )
    assert decision.level == LEVELS[(situation, role)]

"""The crew rule, in one place: a caller acts as crew X only with the field_crew role and a crew id; a crew
id claim on any other role grants nothing (not myTasks, not a task, not a task's access level)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chalicelib.domain.access.decisions import decide_access
from chalicelib.domain.principal import Principal, Role
from tests.support.authorization_table import NOW, SITUATIONS

CHALICELIB = Path(__file__).resolve().parents[2] / "chalicelib"
OTHER_ROLES = sorted(set(Role) - {Role.FIELD_CREW})


def caller(roles: set[Role], crew_id: str | None = "crew-7") -> Principal:
    return Principal("someone", "utilities", frozenset(roles), crew_id=crew_id)


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_given_a_crew_claim_on_another_role_then_the_caller_acts_as_no_crew(role):
    assert caller({role}).acting_crew is None


def test_given_a_field_crew_naming_a_crew_then_it_acts_as_that_crew_and_without_one_as_none():
    assert caller({Role.FIELD_CREW}).acting_crew == "crew-7"
    assert caller({Role.FIELD_CREW, Role.OPERATOR}).acting_crew == "crew-7"
    assert caller({Role.FIELD_CREW}, None).acting_crew is None
    assert caller({Role.FIELD_CREW}, "").acting_crew is None


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_given_a_crew_claim_on_another_role_then_the_crews_open_task_raises_no_access(role):
    built = SITUATIONS["crew with an open task"]()
    with_claim = Principal("x", built.caller_agency, frozenset({role}), crew_id="crew-7")
    without = Principal("x", built.caller_agency, frozenset({role}))

    decided = decide_access(with_claim, built.incident, built.policies, built.grants, built.tasks, NOW)

    assert not decided.basis.startswith("task:")
    assert decided == decide_access(without, built.incident, built.policies, built.grants, built.tasks, NOW)


def test_given_the_runtime_code_then_only_the_principal_reads_the_crew_claim():
    readers = [
        f"{path.relative_to(CHALICELIB)}:{number}"
        for path in sorted(CHALICELIB.rglob("*.py"))
        if path.name != "principal.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"principal\.crew_id\b", line)
    ]
    assert readers == [], "ask Principal.acting_crew, the crew rule, instead of the raw claim"

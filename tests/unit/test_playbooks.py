"""Playbook definitions: what is accepted, and every problem named at its exact location."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from chalicelib.domain.categories import Severity
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.incidents.correlation import open_incident
from chalicelib.domain.incidents.events import DetectionEvent
from chalicelib.domain.response.playbooks import (
    CreateTaskAction,
    InvalidPlaybook,
    NotifyAction,
    parse_playbook,
    render,
    resolve_agency,
)
from chalicelib.playbooks import FOLDER, shipped_playbooks
from chalicelib.playbooks.schema import schema_json

ROOT = Path(__file__).resolve().parents[2]


def definition() -> dict[str, Any]:
    """A valid playbook using every kind of action (indexes 0..4 in this order)."""
    return {
        "id": "flood-response",
        "name": "Flood response",
        "trigger": {"sub_categories": ["flood"], "min_severity": "high"},
        "actions": [
            {"type": "notify", "id": "tell-owner", "agencies": ["owner"], "roles": ["operator"]},
            {
                "type": "create_task",
                "id": "barriers",
                "agency": "utilities",
                "template": "Barriers near {area}",
            }
            | {"sla_minutes": 30},
            {"type": "create_task", "id": "stand-by", "agency": "emergency", "template": "Stand by"}
            | {"sla_minutes": 60, "depends_on": ["barriers"]},
            {
                "type": "draft_public_notice",
                "id": "notice",
                "template": "Flood: {severity}",
                "headline": "Flood",
            },
            {"type": "escalate_if_unacknowledged", "id": "escalate", "task": "barriers", "after_minutes": 15}
            | {"levels": [["supervisor"], ["admin"]]},
        ],
    }


def errors_of(data: Any) -> list[dict[str, str]]:
    with pytest.raises(InvalidPlaybook) as caught:
        parse_playbook(data)
    return caught.value.errors


def changed(change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    data = copy.deepcopy(definition())
    change(data)
    return data


def test_given_a_valid_definition_when_parsed_then_defaults_are_filled_in() -> None:
    playbook = parse_playbook(definition())

    notify = playbook.actions[0]
    assert (playbook.version, playbook.enabled, playbook.trigger.min_severity) == (1, True, Severity.HIGH)
    assert isinstance(notify, NotifyAction)
    assert (notify.channels, notify.message) == (["sns"], "{title}")
    assert isinstance(playbook.actions[2], CreateTaskAction)
    assert playbook.actions[2].depends_on == ["barriers"]


def test_given_a_playbook_when_turned_to_json_and_parsed_back_then_it_is_the_same_playbook() -> None:
    playbook = parse_playbook(definition())

    assert parse_playbook(json.loads(json.dumps(playbook.to_dict()))) == playbook


INVALID = {
    "sla over a week": (
        lambda d: d["actions"][2].update(sla_minutes=10081),
        "actions[2].sla_minutes",
        "Input should be less than or equal to 10080",
    ),
    "unknown severity": (
        lambda d: d["trigger"].update(min_severity="dire"),
        "trigger.min_severity",
        "Input should be 'informational', 'low', 'medium', 'high' or 'critical'",
    ),
    "unknown sub-category": (
        lambda d: d["trigger"].update(sub_categories=["flood", "volcano"]),
        "trigger.sub_categories[1]",
        "Unknown sub-category 'volcano'",
    ),
    "unknown category": (
        lambda d: d["trigger"].update(categories=["weather"]),
        "trigger.categories[0]",
        "Unknown category 'weather'",
    ),
    "no category at all": (
        lambda d: d["trigger"].update(sub_categories=[]),
        "trigger",
        "Give sub_categories or categories",
    ),
    "confidence over 1": (lambda d: d["trigger"].update(min_confidence=1.5), "trigger.min_confidence", "1"),
    "area cell finer than incidents": (
        lambda d: d["trigger"].update(area_cells=["89195da49b3ffff"]),
        "trigger.area_cells[0]",
        "finer than resolution 8",
    ),
    "area cell not a cell": (
        lambda d: d["trigger"].update(area_cells=["nowhere"]),
        "trigger.area_cells[0]",
        "not an H3 cell",
    ),
    "unknown placeholder": (
        lambda d: d["actions"][3].update(headline="Flood near {street}"),
        "actions[3].headline",
        "Unknown placeholder {street}",
    ),
    "broken template": (
        lambda d: d["actions"][1].update(template="Barriers near {area"),
        "actions[1].template",
        "Invalid template",
    ),
    "format spec": (
        lambda d: d["actions"][0].update(message="{confidence:.0%}"),
        "actions[0].message",
        "no format spec",
    ),
    "unknown role in a level": (
        lambda d: d["actions"][4].update(levels=[["supervisor"], ["mayor"]]),
        "actions[4].levels[1][0]",
        "Input should be 'operator'",
    ),
    "unknown action type": (lambda d: d["actions"][0].update(type="sms"), "actions[0].type", "'sms'"),
    "unknown field": (lambda d: d["actions"][3].update(colour="red"), "actions[3].colour", "Extra inputs"),
    "bad playbook id": (lambda d: d.update(id="Flood Response"), "id", "String should match pattern"),
    "no actions": (lambda d: d.update(actions=[]), "actions", "at least 1 item"),
    "webhook not http": (
        lambda d: d["actions"].append(
            {"type": "webhook", "id": "signals", "target": "signals", "url": "ftp://x"}
        ),
        "actions[5].url",
        "not an http or https URL",
    ),
    "duplicate action id": (
        lambda d: d["actions"][3].update(id="barriers"),
        "actions[3].id",
        "Duplicate action id 'barriers'",
    ),
    "depends on itself": (
        lambda d: d["actions"][2].update(depends_on=["stand-by"]),
        "actions[2].depends_on[0]",
        "cannot refer to itself",
    ),
    "depends on a missing action": (
        lambda d: d["actions"][2].update(depends_on=["barriers", "sandbags"]),
        "actions[2].depends_on[1]",
        "No action with id 'sandbags'",
    ),
    "depends on a notify": (
        lambda d: d["actions"][2].update(depends_on=["tell-owner"]),
        "actions[2].depends_on[0]",
        "'tell-owner' is a notify action, not a create_task",
    ),
    "escalates a notice": (
        lambda d: d["actions"][4].update(task="notice"),
        "actions[4].task",
        "'notice' is a draft_public_notice action, not a create_task",
    ),
    "dependency cycle": (
        lambda d: d["actions"][1].update(depends_on=["stand-by"]),
        "actions[2].depends_on[0]",
        "Dependency cycle: barriers -> stand-by -> barriers",
    ),
}


@pytest.mark.parametrize(("change", "location", "message"), INVALID.values(), ids=INVALID.keys())
def test_given_one_mistake_when_parsed_then_the_error_names_its_exact_location(
    change: Callable[[dict[str, Any]], object], location: str, message: str
) -> None:
    errors = errors_of(changed(change))

    assert [error["location"] for error in errors] == [location]
    assert message in errors[0]["message"]


def test_given_several_mistakes_when_parsed_then_every_one_is_named_in_one_invalid_playbook_error() -> None:
    def break_three_things(data: dict[str, Any]) -> None:
        data["actions"][2].update(sla_minutes=99999, depends_on=["sandbags"])
        data["trigger"]["min_severity"] = "dire"

    with pytest.raises(InvalidInput) as caught:
        parse_playbook(changed(break_three_things))

    assert caught.value.code == "INVALID_PLAYBOOK"
    assert caught.value.message.startswith("trigger.min_severity: Input should be")
    assert "; actions[2].sla_minutes: Input should be less than or equal to 10080; " in caught.value.message
    assert caught.value.message.endswith(
        "actions[2].depends_on[0]: No action with id 'sandbags' in this playbook"
    )


def test_given_something_other_than_an_object_when_parsed_then_the_root_is_named() -> None:
    assert [error["location"] for error in errors_of(["not", "a", "playbook"])] == ["$"]


def test_given_an_incident_when_a_template_is_rendered_then_the_placeholders_are_filled() -> None:
    event = DetectionEvent(
        "evt_1", "gauge-7", "flood", Severity.HIGH, 0.875, 2.5, 51.5072, -0.1276,
        datetime(2025, 1, 1, tzinfo=UTC), "threshold", "River level 2.5 m over normal",
    )  # fmt: skip
    incident = open_incident(event, "inc_1", "utilities")

    text = render(
        "{title} | {severity} {confidence} | {area} {event_count} | {category}/{sub_category}", incident
    )

    assert text == f"{incident.title} | high 0.88 | {incident.h3_cell} 1 | naturalDisaster/flood"
    assert resolve_agency("owner", incident) == "utilities"
    assert resolve_agency("police", incident) == "police"


def test_given_the_shipped_playbooks_when_loaded_then_all_are_valid_and_named_after_their_id() -> None:
    playbooks = shipped_playbooks()

    assert [p.id for p in playbooks] == sorted(path.stem for path in FOLDER.glob("*.json"))
    assert {p.id for p in playbooks} >= {
        "odour-sanitation", "crowd-formation", "wrong-way-vehicle", "air-pollution", "flood-level",
    }  # fmt: skip


def test_given_the_model_when_its_schema_is_exported_then_docs_playbook_schema_json_is_up_to_date() -> None:
    exported = (ROOT / "docs" / "playbook.schema.json").read_text(encoding="utf-8")

    assert exported == schema_json(), "docs/playbook.schema.json is stale: run `make schema` and commit it"

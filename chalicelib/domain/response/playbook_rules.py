"""Playbook rules beyond field types: templates, values, cross-action references, error locations.

The pydantic models in `playbooks.py` call these checks; every problem is reported as a
(location, message) pair, the location in JSON-path-like form (`actions[2].depends_on[0]`).
"""

from __future__ import annotations

import string
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any, NoReturn
from urllib.parse import urlsplit

import h3
from pydantic import Field, JsonValue, ValidationError
from pydantic_core import PydanticCustomError

from chalicelib.domain.categories import CATEGORIES
from chalicelib.domain.incidents import CORRELATION_RESOLUTION

PLACEHOLDERS = frozenset("title sub_category category severity confidence incident_id owner_agency".split())
PLACEHOLDERS |= {"area", "event_count"}
SLUG = r"^[a-z0-9][a-z0-9-]{1,62}$"
AGENCY = r"^[a-z0-9][a-z0-9_-]{0,62}$"
ZONE = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"  # as camera zone ids
ACTION_TYPES = ("notify", "create_task", "draft_public_notice", "webhook", "escalate_if_unacknowledged")
REFERENCES = "playbook_references"  # the error type carrying every cross-action problem in its ctx
ALERT_CATEGORIES = frozenset(spec.category for spec in CATEGORIES.values())
_FORMATTER = string.Formatter()
Problem = tuple[str, str]


def fail(kind: str, message: str) -> NoReturn:
    """A validation error whose message is taken literally (braces included)."""
    raise PydanticCustomError(kind, "{reason}", {"reason": message})


def enum_of(values: Iterable[str]) -> Any:
    """Schema-only: the allowed values, listed in the JSON Schema (the check itself is a validator)."""
    listed: list[JsonValue] = [value for value in sorted(values)]
    return Field(json_schema_extra={"enum": listed})


def check_template(template: str) -> str:
    try:
        parts = [part[1:] for part in _FORMATTER.parse(template) if part[1] is not None]
    except ValueError as exc:
        fail("template_syntax", f"Invalid template: {exc}")
    unknown = [f"{{{name}}}" for name, _, _ in parts if name not in PLACEHOLDERS]
    if unknown:
        allowed = ", ".join(sorted(PLACEHOLDERS))
        fail("template_placeholder", f"Unknown placeholder {', '.join(unknown)}; allowed: {allowed}")
    if any(spec or conversion for _, spec, conversion in parts):
        fail("template_format", "Placeholders take no format spec or conversion: write {name} only")
    return template


def one_of(what: str, known: Collection[str]) -> Callable[[str], str]:
    """A check that a value is among `known` (sub-categories, categories)."""
    listed = ", ".join(sorted(known))

    def check(value: str) -> str:
        if value not in known:
            fail(what.replace("-", "_"), f"Unknown {what} '{value}'; known: {listed}")
        return value

    return check


def check_area_cell(value: str) -> str:
    cell = value.lower()
    if not h3.is_valid_cell(cell):
        fail("area_cell", f"'{value}' is not an H3 cell")
    if h3.get_resolution(cell) > CORRELATION_RESOLUTION:
        fail("area_cell", f"'{value}' is finer than resolution {CORRELATION_RESOLUTION}, the incidents' own")
    return cell


def check_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in value):
        fail("url", f"'{value}' is not an http or https URL")
    return value


def reference_problems(actions: Sequence[Any]) -> list[Problem]:
    """Duplicate ids, and depends_on/task references that are missing, wrong or circular.

    Works on plain dicts, so it can also run on raw input whose other fields failed validation.
    """
    entries = [
        (i, a) for i, a in enumerate(actions) if isinstance(a, Mapping) and isinstance(a.get("id"), str)
    ]
    kinds: dict[str, str] = {}
    problems: list[Problem] = []
    for index, action in entries:
        if action["id"] in kinds:
            problems.append((f"actions[{index}].id", f"Duplicate action id '{action['id']}'"))
        kinds.setdefault(action["id"], str(action.get("type")))
    for index, action in entries:
        if action.get("type") == "escalate_if_unacknowledged" and isinstance(action.get("task"), str):
            problems += _broken(f"actions[{index}].task", action["id"], action["task"], kinds)
        for k, target in _dependencies(action):
            problems += _broken(f"actions[{index}].depends_on[{k}]", action["id"], target, kinds)
    return problems + _cycles(entries, kinds)


def _dependencies(action: Mapping[str, Any]) -> list[tuple[int, str]]:
    depends_on = action.get("depends_on") if action.get("type") == "create_task" else None
    if not isinstance(depends_on, list):
        return []
    return [(k, target) for k, target in enumerate(depends_on) if isinstance(target, str)]


def _broken(location: str, own_id: str, target: str, kinds: dict[str, str]) -> list[Problem]:
    if target == own_id:
        return [(location, "An action cannot refer to itself")]
    if target not in kinds:
        return [(location, f"No action with id '{target}' in this playbook")]
    if kinds[target] != "create_task":
        return [(location, f"'{target}' is a {kinds[target]} action, not a create_task")]
    return []


def _cycles(entries: list[tuple[int, Mapping[str, Any]]], kinds: dict[str, str]) -> list[Problem]:
    """One problem per dependency cycle, at the depends_on entry that closes it."""
    graph = {
        action["id"]: (index, [(k, t) for k, t in _dependencies(action) if kinds.get(t) == "create_task"])
        for index, action in reversed(entries)  # the first action of a duplicated id wins
    }
    state: dict[str, bool] = {}  # False while on the current path, True once finished
    problems: list[Problem] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = False
        index, edges = graph.get(node, (0, []))
        for k, target in edges:
            if state.get(target) is False and target != node:
                cycle = " -> ".join([*path[path.index(target) :], target])
                problems.append((f"actions[{index}].depends_on[{k}]", f"Dependency cycle: {cycle}"))
            elif target not in state:
                visit(target, [*path, target])
        state[node] = True

    for node in sorted(graph, key=lambda n: graph[n][0]):
        if node not in state:
            visit(node, [node])
    return problems


def location_of(loc: tuple[int | str, ...], error_type: str) -> str:
    """`('actions', 2, 'create_task', 'sla_minutes')` → `actions[2].sla_minutes` (the union tag dropped)."""
    text = ""
    for position, part in enumerate(loc):
        if isinstance(part, int):
            text += f"[{part}]"
        elif not (position >= 2 and loc[position - 2] == "actions" and part in ACTION_TYPES):  # the union tag
            text += f".{part}" if text else part
    if error_type in ("union_tag_invalid", "union_tag_not_found"):
        text += ".type"
    return text or "$"


def problems_of(error: ValidationError) -> list[Problem]:
    problems: list[Problem] = []
    for item in error.errors(include_url=False):
        if item["type"] == REFERENCES:
            problems += item["ctx"]["problems"]
        else:
            problems.append((location_of(item["loc"], item["type"]), item["msg"]))
    return problems

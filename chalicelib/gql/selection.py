"""What the client asked for below a field: response keys (aliases), field names and arguments.

Fragments (named and inline) are expanded for the type at hand, `@skip`/`@include` are honoured, and
selections of the same response key are merged, as GraphQL execution does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import strawberry
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection


@dataclass
class Requested:
    """One response key of a selection set: the field it names and what is selected below it."""

    key: str
    name: str
    arguments: dict[str, Any]
    selections: list[Selection] = field(default_factory=list)

    def below(self, type_name: str) -> dict[str, Requested]:
        return requested(self.selections, type_name)

    def int_argument(self, name: str) -> int | None:
        """An Int argument's value (literals arrive as their source text, variables as values)."""
        value = self.arguments.get(name)
        return int(value) if isinstance(value, int | str) else None


def requested(selections: list[Selection], type_name: str) -> dict[str, Requested]:
    """The response keys selected on an object of `type_name`, in the order first selected."""
    found: dict[str, Requested] = {}
    _collect(selections, type_name, found)
    return found


def _collect(selections: list[Selection], type_name: str, found: dict[str, Requested]) -> None:
    for selection in selections:
        if not _included(selection.directives):
            continue
        if isinstance(selection, SelectedField):
            key = selection.alias or selection.name
            if key in found:
                found[key].selections.extend(selection.selections)
            else:
                found[key] = Requested(key, selection.name, selection.arguments, list(selection.selections))
        elif isinstance(selection, FragmentSpread | InlineFragment) and _applies(
            selection.type_condition, type_name
        ):
            _collect(selection.selections, type_name, found)


def _applies(type_condition: str | None, type_name: str) -> bool:
    return type_condition is None or type_condition == type_name


def _included(directives: dict[str, dict[str, Any]]) -> bool:
    if "skip" in directives and directives["skip"].get("if") is True:
        return False
    return not ("include" in directives and directives["include"].get("if") is False)


def selections_below(info: strawberry.Info[Any, Any]) -> list[Selection]:
    """The selection set of the field being resolved (all its merged nodes)."""
    return [
        selection
        for node in info.selected_fields
        if isinstance(node, SelectedField)
        for selection in node.selections
    ]


def response_path(info: strawberry.Info[Any, Any]) -> list[str | int]:
    """The response path of the field being resolved, aliases and list indexes included."""
    return list(info.path.as_list())

"""An estimate of what an operation costs to answer, refused above MAX_COST with QUERY_TOO_COSTLY.

Every field costs 1; the fields below a list are paid once per element: `first` (its value, its
variable's value, else its default; at most MAX_PAGE_SIZE, as larger pages are refused or capped by the
field itself) for fields that take it, DEFAULT_LIST_SIZE for other lists, and 1 for a connection's
`edges` (already paid by the connection's `first`).
Fields read with one storage call per object (an incident's notes and grants) cost STORAGE_READ_COST
more each, so a long list cannot ask for them. Introspection fields are free: the token limit bounds them.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLObjectType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
)

from chalicelib.services.incidents.query_incidents import MAX_PAGE_SIZE

MAX_COST = 5000
DEFAULT_LIST_SIZE = 10
SIZE_ARGUMENT = "first"
STORAGE_READ_COST = 50
STORAGE_READS = frozenset({("Incident", "notes"), ("Incident", "grants"), ("FieldTask", "timeline")})
MAX_NESTING = 12  # beyond the depth limit: the depth rule refuses such operations anyway


def cost_rule(variables: dict[str, Any] | None) -> type[ValidationRule]:
    """A validation rule for one request: sizes given as variables are read from `variables`."""
    values = dict(variables or {})

    class QueryCost(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_args: object) -> None:
            root = self.context.schema.get_root_type(node.operation)
            if root is None:
                return
            defaults = {
                definition.variable.name.value: int(definition.default_value.value)
                for definition in node.variable_definitions or ()
                if isinstance(definition.default_value, IntValueNode)
            }
            estimate = _Estimate(self.context, defaults | values).selection_cost(
                node.selection_set, root, 0, frozenset()
            )
            if estimate > MAX_COST:
                self.report_error(
                    GraphQLError(
                        f"this operation may cost {estimate} (limit {MAX_COST}): ask for fewer items or fields",
                        node,
                        extensions={"code": "QUERY_TOO_COSTLY", "cost": estimate, "limit": MAX_COST},
                    )
                )

    return QueryCost


class _Estimate:
    def __init__(self, context: ValidationContext, variables: dict[str, Any]) -> None:
        self._context = context
        self._variables = variables

    def selection_cost(
        self,
        selection_set: SelectionSetNode | None,
        parent: GraphQLObjectType,
        depth: int,
        seen: frozenset[str],
    ) -> int:
        if selection_set is None or depth > MAX_NESTING:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self._field_cost(selection, parent, depth)
            elif isinstance(selection, InlineFragmentNode):
                total += self.selection_cost(selection.selection_set, parent, depth, seen)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                fragment = self._context.get_fragment(selection.name.value)
                if isinstance(fragment, FragmentDefinitionNode):
                    named = seen | {selection.name.value}
                    total += self.selection_cost(fragment.selection_set, parent, depth, named)
        return total

    def _field_cost(self, node: FieldNode, parent: GraphQLObjectType, depth: int) -> int:
        name = node.name.value
        definition = parent.fields.get(name)
        if name.startswith("__") or definition is None:
            return 0
        child = get_named_type(definition.type)
        below = (
            self.selection_cost(node.selection_set, child, depth + 1, frozenset())
            if isinstance(child, GraphQLObjectType)
            else 0
        )
        own = 1 + (STORAGE_READ_COST if (parent.name, name) in STORAGE_READS else 0)
        return own + self._multiplier(node, definition, parent) * below

    def _multiplier(self, node: FieldNode, definition: GraphQLField, parent: GraphQLObjectType) -> int:
        if SIZE_ARGUMENT in definition.args:
            return max(0, self._size(node, definition))
        if is_list_type(get_nullable_type(definition.type)):
            return 1 if parent.name.endswith("Connection") else DEFAULT_LIST_SIZE
        return 1

    def _size(self, node: FieldNode, definition: GraphQLField) -> int:
        argument = next((arg for arg in node.arguments or () if arg.name.value == SIZE_ARGUMENT), None)
        value: Any = None
        if argument is not None and isinstance(argument.value, IntValueNode):
            value = int(argument.value.value)
        elif argument is not None and isinstance(argument.value, VariableNode):
            value = self._variables.get(argument.value.name.value)  # provided, else the operation's default
        if value is None:
            value = definition.args[SIZE_ARGUMENT].default_value
        return min(value, MAX_PAGE_SIZE) if isinstance(value, int) else MAX_PAGE_SIZE

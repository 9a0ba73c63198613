"""Limits on what one operation may ask, each refusal with its own `extensions.code`:

- TOO_MANY_TOKENS: more than MAX_TOKENS lexical tokens (parsing stops there);
- QUERY_TOO_DEEP: fields nested deeper than MAX_DEPTH (introspection fields excluded);
- TOO_MANY_ALIASES: more than MAX_ALIASES aliased fields (fragments counted where spread);
- QUERY_TOO_COSTLY: an estimated cost above MAX_COST (see query_cost.py);
- INTROSPECTION_DISABLED: `__schema` or `__type` asked by the public (agencies may introspect).

One schema serves everyone: the rules are added per request, as the caller and variables are known.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    get_named_type,
    is_introspection_type,
)
from strawberry.extensions import SchemaExtension
from strawberry.extensions.max_aliases import count_fields_with_alias

from chalicelib.gql.query_cost import cost_rule

MAX_TOKENS = 2000
MAX_DEPTH = 10
MAX_ALIASES = 15
TOKEN_LIMIT_MESSAGE = f"Document contains more than {MAX_TOKENS} tokens"


def _refusal(message: str, node: object, code: str) -> GraphQLError:
    return GraphQLError(message, node, extensions={"code": code})  # type: ignore[arg-type]


class DepthLimit(ValidationRule):
    def enter_operation_definition(self, node: OperationDefinitionNode, *_args: object) -> None:
        if self._depth(node.selection_set, 0, frozenset()) > MAX_DEPTH:
            message = f"fields are nested deeper than {MAX_DEPTH} levels"
            self.report_error(_refusal(message, node, "QUERY_TOO_DEEP"))

    def _depth(self, selection_set: SelectionSetNode | None, depth: int, seen: frozenset[str]) -> int:
        """The depth reached below `selection_set`; stops counting once past the limit."""
        if selection_set is None or depth > MAX_DEPTH:
            return depth
        deepest = depth
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode) and not selection.name.value.startswith("__"):
                deepest = max(deepest, self._depth(selection.selection_set, depth + 1, frozenset()))
            elif isinstance(selection, InlineFragmentNode):
                deepest = max(deepest, self._depth(selection.selection_set, depth, seen))
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                fragment = self.context.get_fragment(selection.name.value)
                if fragment is not None:
                    named = seen | {selection.name.value}
                    deepest = max(deepest, self._depth(fragment.selection_set, depth, named))
        return deepest


class AliasLimit(ValidationRule):
    def enter_operation_definition(self, node: OperationDefinitionNode, *_args: object) -> None:
        fragments = {
            definition.name.value: definition
            for definition in self.context.document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        if (count := count_fields_with_alias(node, fragments)) > MAX_ALIASES:
            message = f"{count} aliases found; at most {MAX_ALIASES} are allowed"
            self.report_error(_refusal(message, node, "TOO_MANY_ALIASES"))


class NoPublicIntrospection(ValidationRule):
    def enter_field(self, node: FieldNode, *_args: object) -> None:
        named = get_named_type(self.context.get_type())
        if named is not None and is_introspection_type(named):
            message = f"introspection ({node.name.value}) is for signed-in agency users"
            self.report_error(_refusal(message, node, "INTROSPECTION_DISABLED"))


class QueryLimits(SchemaExtension):
    """Adds the limits to every operation: token cap on parsing, the rules to validation."""

    def on_operation(self) -> Iterator[None]:
        execution = self.execution_context
        execution.parse_options["max_tokens"] = MAX_TOKENS
        rules: list[type[ValidationRule]] = [DepthLimit, AliasLimit, cost_rule(execution.variables)]
        principal = getattr(execution.context, "principal", None)
        if principal is None or principal.is_public:
            rules.append(NoPublicIntrospection)
        execution.validation_rules = (*execution.validation_rules, *rules)
        yield

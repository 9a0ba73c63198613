"""Print the schema as SDL: `python -m chalicelib.gql.export > graphql/schema.graphql` (`make schema`)."""

from __future__ import annotations

from strawberry.printer import print_schema

from chalicelib.gql.schema import schema


def schema_sdl() -> str:
    return print_schema(schema) + "\n"


if __name__ == "__main__":
    print(schema_sdl(), end="")

"""Print the playbook JSON Schema: `python -m chalicelib.playbooks.schema > docs/playbook.schema.json`
(`make schema`). Editors and clients validate playbooks with it; a unit test fails when it is stale."""

from __future__ import annotations

import json

from chalicelib.domain.response.playbooks import playbook_json_schema


def schema_json() -> str:
    return json.dumps(playbook_json_schema(), indent=2) + "\n"


if __name__ == "__main__":
    print(schema_json(), end="")

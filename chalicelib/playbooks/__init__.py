"""The playbooks Concord ships: JSON files beside this module, one per playbook, named `{id}.json`.

They are the defaults; admins edit stored copies through the `savePlaybook` mutation (docs/playbooks.md).
"""

from __future__ import annotations

import json
from pathlib import Path

from chalicelib.domain.response.playbooks import Playbook, parse_playbook

FOLDER = Path(__file__).parent


def shipped_playbooks() -> list[Playbook]:
    """Every shipped playbook, validated, in file-name order (raises InvalidPlaybook if one is broken)."""
    return [
        parse_playbook(json.loads(path.read_text(encoding="utf-8"))) for path in sorted(FOLDER.glob("*.json"))
    ]

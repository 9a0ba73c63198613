"""Mutation root: incidents, sharing, and devices (an agency admin registers its devices).

The public cannot mutate: every mutation needs a signed-in agency user (FORBIDDEN otherwise).
"""

from __future__ import annotations

import strawberry

from chalicelib.gql.access.mutations import SharingMutations
from chalicelib.gql.cameras.api import CameraMutations
from chalicelib.gql.incidents.mutations import IncidentMutations
from chalicelib.gql.response.field_api import FieldMutations
from chalicelib.gql.response.playbooks import PlaybookMutations
from chalicelib.gql.sensing.devices import DeviceMutations


@strawberry.type
class Mutation(
    IncidentMutations, SharingMutations, DeviceMutations, CameraMutations, FieldMutations, PlaybookMutations
):
    pass

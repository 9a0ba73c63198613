"""Relay cursors over the repository's page cursors.

A repository hands out one cursor per page (where the next page starts). Relay wants one per edge,
so an edge cursor names a page start plus how many incidents of that page to skip. The last edge of a
page that has a successor carries the repository's own cursor with nothing to skip: the usual
`after: endCursor` walk costs one repository call per page, as before.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.incidents import IncidentStatus
from chalicelib.domain.ports import IncidentRepository
from chalicelib.domain.principal import Principal
from chalicelib.gql.types import IncidentConnection, IncidentEdge, IncidentType, PageInfo
from chalicelib.services.query_incidents import MAX_PAGE_SIZE, list_incidents

PREFIX = "c1."


@dataclass(frozen=True)
class Position:
    page_start: str | None  # the repository's cursor; None for the first page
    skip: int = 0


def encode_cursor(position: Position) -> str:
    text = json.dumps([position.page_start, position.skip], separators=(",", ":"))
    return PREFIX + base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> Position:
    try:
        encoded = cursor.removeprefix(PREFIX)
        if encoded == cursor:
            raise ValueError("unknown cursor version")
        page_start, skip = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
        if not (page_start is None or isinstance(page_start, str)) or not isinstance(skip, int):
            raise ValueError("unexpected cursor content")
        if not 0 <= skip <= MAX_PAGE_SIZE:
            raise ValueError("skip out of range")
    except (ValueError, TypeError, binascii.Error):
        raise InvalidInput("after is not a cursor this API issued", "INVALID_CURSOR") from None
    return Position(page_start, skip)


def incident_connection(
    principal: Principal,
    incidents: IncidentRepository,
    status: IncidentStatus | None,
    category: str | None,
    first: int,
    after: str | None,
) -> IncidentConnection:
    start = decode_cursor(after) if after is not None else Position(None)
    # Re-read the skipped head of the page (bounded by the page-size limit); the service checks `first`.
    window = min(start.skip + first, MAX_PAGE_SIZE) if 1 <= first <= MAX_PAGE_SIZE else first
    page = list_incidents(principal, incidents, status, category, first=window, after=start.page_start)
    shown = page.incidents[start.skip :]
    edges = [
        IncidentEdge(
            cursor=encode_cursor(Position(start.page_start, start.skip + index + 1)),
            node=IncidentType.from_domain(incident),
        )
        for index, incident in enumerate(shown)
    ]
    end_cursor = edges[-1].cursor if edges else None
    if page.next_cursor is not None:
        end_cursor = encode_cursor(Position(page.next_cursor))
        if edges:
            edges[-1].cursor = end_cursor
    return IncidentConnection(
        edges=edges, page_info=PageInfo(has_next_page=page.next_cursor is not None, end_cursor=end_cursor)
    )

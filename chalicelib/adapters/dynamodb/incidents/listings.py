"""Pages of incidents read from the incidents table's indexes: an agency's (by_agency) and the public
feed (public_feed). Cursors are raw keys; the service layer signs them before they leave the API."""

from __future__ import annotations

import operator
from functools import reduce

from pynamodb.expressions.condition import Condition  # noqa: TID251 - the DynamoDB adapter

from chalicelib.adapters.dynamodb.incidents.items import incident_from_item
from chalicelib.adapters.dynamodb.incidents.models import IncidentModel
from chalicelib.adapters.dynamodb.keys import PUBLIC_FEED
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.incidents.incident import IncidentStatus
from chalicelib.domain.ports import IncidentPage

FILTERED_PAGE_SIZE = 100  # items evaluated per request when a filter may drop many of them


def check_page(limit: int, cursor: str | None) -> None:
    if limit < 1:
        raise InvalidInput("a page holds at least one incident", "INVALID_PAGE_SIZE")
    if cursor == "":
        raise InvalidInput("a cursor is not empty", "INVALID_CURSOR")


def public_page(limit: int, cursor: str | None) -> IncidentPage:
    """Incidents on the public feed by id; `cursor` is the last id of the previous page."""
    check_page(limit, cursor)
    items = list(
        IncidentModel.public.query(
            PUBLIC_FEED,
            IncidentModel.incident_id > cursor if cursor is not None else None,
            limit=limit + 1,  # one more than asked tells whether another page exists
            page_size=limit + 1,
        )
    )
    page = items[:limit]
    next_cursor = page[-1].incident_id if len(items) > limit else None
    return IncidentPage([incident_from_item(item) for item in page], next_cursor)


def agency_page(
    agency: str,
    status: IncidentStatus | None,
    category: str | None,
    sub_category: str | None,
    limit: int,
    cursor: str | None,
) -> IncidentPage:
    """An agency's incidents, newest first; `cursor` is the seen_key of the last one of the previous page."""
    check_page(limit, cursor)
    filters: list[Condition] = []
    if status is not None:
        filters.append(IncidentModel.status == status.value)
    if category is not None:
        filters.append(IncidentModel.category == category)
    if sub_category is not None:
        filters.append(IncidentModel.sub_category == sub_category)
    items = list(
        IncidentModel.by_agency.query(
            agency,
            IncidentModel.seen_key < cursor if cursor is not None else None,
            scan_index_forward=False,
            filter_condition=reduce(operator.and_, filters) if filters else None,
            limit=limit + 1,
            page_size=max(limit + 1, FILTERED_PAGE_SIZE) if filters else limit + 1,
        )
    )
    page = items[:limit]
    next_cursor = page[-1].seen_key if len(items) > limit else None
    return IncidentPage([incident_from_item(item) for item in page], next_cursor)

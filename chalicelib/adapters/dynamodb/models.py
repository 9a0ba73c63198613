"""PynamoDB models of Concord's tables, and `bind_models`, which points them at a stage and an endpoint.

Key design (tables, keys and indexes as in chalicelib/resources.json; tables are on-demand, indexes
project ALL):

| table     | key (hash / range)         | index (hash / range)             | access patterns                |
|-----------|----------------------------|----------------------------------|--------------------------------|
| devices   | device_id                  | silence, sparse: watch =         | get; add (put if absent);      |
|           |                            | "online" / silent_after (N:      | mark_seen (update; last_seen   |
|           |                            | epoch s of last_seen + 3 x       | only moves forward);           |
|           |                            | expected_interval_s); `watch`    | silent_since(now): Query       |
|           |                            | exists only while the device is  | silence, silent_after < now;   |
|           |                            | enabled and not offline          | mark_offline (update if        |
|           |                            |                                  | last_seen unchanged)           |
| nonces    | pk =                       | -                                | remember: put if absent; TTL   |
|           | f"{device_id}#{nonce}"     |                                  | expires_at (epoch s)           |
| readings  | device_id / reading_key =  | -                                | add_if_new: put if absent; TTL |
|           | f"{metric}#{observed_at}"  |                                  | expires_at = observed_at +     |
|           |                            |                                  | ttl_days                       |
| baselines | device_id / metric         | -                                | get; save if last_observed_at  |
|           |                            |                                  | is still the one read          |
|           |                            |                                  | (optimistic)                   |
| incidents | incident_id; version: the  | by_agency: owner_agency /        | get, BatchGet; an agency's,    |
|           | optimistic lock; seen_key  | seen_key; active_by_cell,        | newest first, filtered by      |
|           | = f"{last_seen}#{id}";     | sparse: active_cell =            | status or category; active     |
|           | category kept for filters  | f"{family}#{h3_cell}" while open | ones of a family near a cell   |
|           |                            | or verified / seen_key           | (one Query a cell)             |
| events    | event_id                   | by_incident: incident_id /       | put if absent, in one          |
|           |                            | observed_at (RFC 3339)           | transaction with its incident; |
|           |                            |                                  | an incident's, newest first    |
| routing   | sub_category               | -                                | owner of a sub-category:       |
|           |                            |                                  | GetItem                        |
| agencies  | agency_id; the item        | -                                | get; put; list = GetItem of    |
|           | "#directory" holds the set |                                  | the directory + BatchGet       |
|           | of every agency id         |                                  |                                |

No access pattern uses Scan. Instants in keys are RFC 3339 UTC with milliseconds (`format_instant`),
which sort as strings; instants used as optimistic-lock tokens keep microseconds (UTCDateTimeAttribute).
"""

from __future__ import annotations

from pynamodb.connection import Connection  # noqa: TID251 - the DynamoDB adapter is where PynamoDB lives
from pynamodb.models import Model  # noqa: TID251

from chalicelib.adapters.dynamodb.device_models import BaselineModel, DeviceModel, NonceModel, ReadingModel
from chalicelib.adapters.dynamodb.incident_models import (
    AgencyModel,
    EventModel,
    IncidentModel,
    RoutingModel,
)
from chalicelib.settings import Settings

LOGICAL_TABLES: dict[str, type[Model]] = {
    "devices": DeviceModel,
    "nonces": NonceModel,
    "readings": ReadingModel,
    "baselines": BaselineModel,
    "incidents": IncidentModel,
    "events": EventModel,
    "routing": RoutingModel,
    "agencies": AgencyModel,
}


def bind_models(settings: Settings) -> None:
    """Point every model at its physical table, region and endpoint (AWS, moto server or mock_aws).

    All models then share one PynamoDB Connection, so one botocore client: left to itself, PynamoDB
    builds a botocore session and client per model, about 0.1 s of cold start each.
    """
    shared = Connection(region=settings.region, host=settings.endpoint_url)
    for logical, model in LOGICAL_TABLES.items():
        model.Meta.table_name = settings.name(logical)
        model.Meta.region = settings.region
        model.Meta.host = settings.endpoint_url
        model._connection = None  # drop the connection cached for an earlier table, region or host
        table = model._get_connection()  # builds the table's schema; its own client is never created
        shared.add_meta_table(table.get_meta_table())
        table.connection = shared


__all__ = [
    "LOGICAL_TABLES",
    "AgencyModel",
    "BaselineModel",
    "DeviceModel",
    "EventModel",
    "IncidentModel",
    "NonceModel",
    "ReadingModel",
    "RoutingModel",
    "bind_models",
]

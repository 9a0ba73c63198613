"""The agencies of the city in DynamoDB (the `agencies` table), for seeding demo data and naming owners.

Listing agencies must not Scan: a directory item (agency_id "#directory") holds the set of every
agency id, written in the same transaction as the agency itself; list() is one GetItem and one BatchGet.
"""

from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute, UnicodeSetAttribute
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from chalicelib.domain.access.agencies import Agency
from chalicelib.domain.errors import InvalidInput

DIRECTORY_KEY = "#directory"


class AgencyModel(Model):
    """An agency, or (agency_id == DIRECTORY_KEY) the directory item listing every agency id."""

    class Meta:
        table_name = "agencies"

    agency_id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute(null=True)
    members = UnicodeSetAttribute(null=True)


def agency_from_item(item: AgencyModel) -> Agency:
    return Agency(item.agency_id, item.name or item.agency_id)


class DynamoAgencyDirectory:
    def put(self, agency_id: str, name: str) -> None:
        """Create or rename an agency."""
        if not agency_id or agency_id.startswith("#"):
            raise InvalidInput("an agency id is not empty and does not start with '#'", "INVALID_AGENCY")
        with TransactWrite(connection=AgencyModel._get_connection().connection) as transaction:
            transaction.save(AgencyModel(agency_id, name=name))
            transaction.update(AgencyModel(DIRECTORY_KEY), actions=[AgencyModel.members.add({agency_id})])

    def get(self, agency_id: str) -> Agency | None:
        if agency_id == DIRECTORY_KEY:
            return None
        try:
            return agency_from_item(AgencyModel.get(agency_id))
        except AgencyModel.DoesNotExist:
            return None

    def list(self) -> list[Agency]:
        """Every agency, by id."""
        try:
            members = AgencyModel.get(DIRECTORY_KEY).members or set()
        except AgencyModel.DoesNotExist:
            return []
        found = [agency_from_item(item) for item in AgencyModel.batch_get(members)]
        return sorted(found, key=lambda record: record.agency_id)

"""The DynamoDB adapters of the domain ports, importable from one place (bootstrap, local/, tests)."""

from chalicelib.adapters.dynamodb.agencies import AgencyRecord, DynamoAgencyDirectory
from chalicelib.adapters.dynamodb.baselines import DynamoBaselineRepository
from chalicelib.adapters.dynamodb.devices import DynamoDeviceRepository
from chalicelib.adapters.dynamodb.incidents import DynamoIncidentRepository
from chalicelib.adapters.dynamodb.nonces import DynamoNonceStore
from chalicelib.adapters.dynamodb.readings import DynamoReadingStore
from chalicelib.adapters.dynamodb.routing import DynamoRoutingTable

__all__ = [
    "AgencyRecord",
    "DynamoAgencyDirectory",
    "DynamoBaselineRepository",
    "DynamoDeviceRepository",
    "DynamoIncidentRepository",
    "DynamoNonceStore",
    "DynamoReadingStore",
    "DynamoRoutingTable",
]

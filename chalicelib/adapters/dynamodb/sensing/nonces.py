"""Request nonces in DynamoDB: a nonce is accepted once; the TTL clears old ones lazily."""

from __future__ import annotations

from datetime import datetime

from pynamodb.attributes import TTLAttribute, UnicodeAttribute
from pynamodb.exceptions import PutError
from pynamodb.models import Model

from chalicelib.adapters.dynamodb.conditions import condition_failed


class NonceModel(Model):
    class Meta:
        table_name = "nonces"

    pk = UnicodeAttribute(hash_key=True)  # nonce_key(device_id, nonce)
    expires_at = TTLAttribute()


def nonce_key(device_id: str, nonce: str) -> str:
    return f"{device_id}#{nonce}"


class DynamoNonceStore:
    def remember(self, device_id: str, nonce: str, expires_at: datetime) -> bool:
        """False if the nonce was used before.

        Any stored item counts as a replay, even one past its expiry that TTL has not deleted yet:
        the signature window is 300 s and `expires_at` lies beyond it, so an expired nonce could only
        come with a timestamp that the clock-skew check already rejects.
        """
        try:
            NonceModel(nonce_key(device_id, nonce), expires_at=expires_at).save(
                condition=NonceModel.pk.does_not_exist()
            )
        except PutError as error:
            if condition_failed(error):
                return False
            raise
        return True

"""Which notify and webhook actions are done, kept 30 days (the action log of run_action)."""

from __future__ import annotations

from datetime import datetime, timedelta

from pynamodb.attributes import TTLAttribute, UnicodeAttribute
from pynamodb.models import Model

RETENTION = timedelta(days=30)


class ActionModel(Model):
    class Meta:
        table_name = "actions"

    action_id = UnicodeAttribute(hash_key=True)
    done_at = UnicodeAttribute()
    expires_at = TTLAttribute()


class DynamoActionLog:
    def is_done(self, action_id: str) -> bool:
        try:
            ActionModel.get(action_id, consistent_read=True)
        except ActionModel.DoesNotExist:
            return False
        return True

    def mark_done(self, action_id: str, now: datetime) -> None:
        ActionModel(action_id, done_at=now.isoformat(), expires_at=now + RETENTION).save()

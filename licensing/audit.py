"""Writing the audit trail. Operations call `record` in the same transaction as the change."""

import datetime as dt
import enum

import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import AuditEvent


def _jsonable(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def snapshot(obj, exclude=("version", "password_hash", "session_token", "content")):
    """The column values of a model instance as a JSON-safe dict."""
    mapper = sa.inspect(obj).mapper
    return {
        attr.key: _jsonable(getattr(obj, attr.key))
        for attr in mapper.column_attrs
        if attr.key not in exclude
    }


def changes(before, after):
    """Only the keys whose values differ, as (before, after) dicts."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record(actor, action, entity=None, *, before=None, after=None, reason=None, holder_id=None,
           entity_type=None, entity_id=None):
    """Add one audit row to the current transaction and return it (flushed)."""
    if entity is not None:
        db.session.flush()
        entity_type = entity_type or entity.__tablename__
        entity_id = entity_id if entity_id is not None else entity.id
        if holder_id is None:
            holder_id = _holder_of(entity)
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        entity_type=entity_type or "system",
        entity_id=entity_id,
        holder_id=holder_id,
        before=before,
        after=after,
        reason=reason,
    )
    db.session.add(event)
    db.session.flush()
    return event


def _holder_of(entity):
    if entity.__tablename__ == "licence_holders":
        return entity.id
    for attr in ("holder_id", "proprietor_id"):
        if getattr(entity, attr, None) is not None:
            return getattr(entity, attr)
    return None

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from licensing.extensions import db
from licensing.models import AuditEvent


def audit_events(action=None, entity_type=None, actor_id=None, date_from=None, date_to=None,
                 page=1, per_page=50):
    query = sa.select(AuditEvent)
    if action:
        query = query.where(AuditEvent.action.like(f"{action}%"))
    if entity_type:
        query = query.where(AuditEvent.entity_type == entity_type)
    if actor_id:
        query = query.where(AuditEvent.actor_id == actor_id)
    if date_from:
        query = query.where(AuditEvent.occurred_at >= date_from)
    if date_to:
        query = query.where(AuditEvent.occurred_at < date_to)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    rows = db.session.execute(
        query.options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).scalars().all()
    return rows, total


def audit_facets():
    actions = db.session.scalars(sa.select(AuditEvent.action).distinct().order_by(AuditEvent.action)).all()
    types = db.session.scalars(
        sa.select(AuditEvent.entity_type).distinct().order_by(AuditEvent.entity_type)
    ).all()
    return actions, types

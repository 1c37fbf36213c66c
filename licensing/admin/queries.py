import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from licensing.extensions import db
from licensing.models import AuditEvent, LicenceHolder, User
from licensing.text import names_a_person


def audit_events(action=None, entity_type=None, actor_id=None, date_from=None, date_to=None,
                 page=1, per_page=50, holder_id=None):
    query = sa.select(AuditEvent)
    if holder_id:
        query = query.where(AuditEvent.holder_id == holder_id)
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


def audit_names(events):
    """({user id: name}, {holder id: name}) for the people and holders these rows point to, so
    the trail shows names, not ids."""
    user_ids, holder_ids = set(), set()
    for event in events:
        if event.holder_id:
            holder_ids.add(event.holder_id)
        if event.entity_type == "users" and event.entity_id:
            user_ids.add(event.entity_id)
        for values in (event.before or {}, event.after or {}):
            user_ids.update(v for k, v in values.items() if names_a_person(k) and isinstance(v, int))
    people = dict(db.session.execute(sa.select(User.id, User.name).where(User.id.in_(user_ids))).all()) \
        if user_ids else {}
    holders = {h.id: h.display_name for h in db.session.scalars(
        sa.select(LicenceHolder).where(LicenceHolder.id.in_(holder_ids)))} if holder_ids else {}
    return people, holders


def staff_accounts():
    return db.session.execute(sa.select(User.id, User.name).order_by(User.name)).all()

"""Service of notice: the officer records that a notice was given, and only then can the decision
take effect (licensing.revocations.state.takes_effect_by). Notices waiting for that record are a
work queue."""

import datetime as dt

import sqlalchemy as sa

from licensing.audit import record
from licensing.extensions import db
from licensing.models import ActionStatus, EnforcementAction, Licence, LicenceHolder
from licensing.policy.service import method as service_method
from licensing.revocations.errors import RevocationError
from licensing.revocations.operations import apply_due
from licensing.text import govuk_date


def unserved_condition():
    """Actions whose notice has not been recorded as served (cancelled ones need no service)."""
    return sa.and_(EnforcementAction.service_recorded_on.is_(None),
                   EnforcementAction.status != ActionStatus.CANCELLED)


def unserved_page(page=1, per_page=50):
    """(rows, total): the oldest notice first; each row is (action, licence number, holder)."""
    base = sa.select(EnforcementAction).where(unserved_condition())
    total = db.session.scalar(sa.select(sa.func.count()).select_from(base.subquery()))
    rows = db.session.execute(
        sa.select(EnforcementAction, Licence.licence_number, LicenceHolder)
        .join(Licence, Licence.id == EnforcementAction.licence_id)
        .join(LicenceHolder, LicenceHolder.id == EnforcementAction.holder_id)
        .where(unserved_condition())
        .order_by(EnforcementAction.notice_date, EnforcementAction.id)
        .limit(per_page).offset((page - 1) * per_page)).all()
    return rows, total


def actions_by_ids(ids):
    """The chosen actions, locked for the change; an id that no longer exists is refused."""
    ids = sorted(set(ids or []))
    found = db.session.execute(sa.select(EnforcementAction).where(EnforcementAction.id.in_(ids))
                               .order_by(EnforcementAction.id).with_for_update()).scalars().all()
    if len(found) != len(ids):
        raise RevocationError("One of the selected notices no longer exists. Reload and try again.",
                              field="action_ids")
    return found


def record_service(actor, actions, *, today=None):
    """Record that each notice was given as it says (on its notice date, by its stated method). Its
    deemed service date stands; a decision whose effective date has come then takes effect."""
    today = today or dt.date.today()
    if not actions:
        raise RevocationError("Select at least one notice", field="action_ids")
    for action in actions:
        reference = f"EA-{action.id:06d}"
        if action.service_recorded_on is not None:
            raise RevocationError(f"Service of the notice for {reference} has already been recorded",
                                  field="action_ids")
        if action.status == ActionStatus.CANCELLED:
            raise RevocationError(f"{reference} has been cancelled; there is no notice to serve", field="action_ids")
        if action.notice_date > today:
            raise RevocationError(f"The notice for {reference} is dated {govuk_date(action.notice_date)}: record "
                                  "its service on or after that day", field="action_ids")
        action.service_recorded_on, action.service_recorded_by_id = today, actor.id
        record(actor, "enforcement_action.service_recorded", action, before={"service_recorded_on": None}, after={
            "service_recorded_on": today.isoformat(), "service_method": action.service_method,
            "served_on": action.served_on.isoformat() if action.served_on else None})
    db.session.flush()
    apply_due(actor, today, sorted({a.licence_id for a in actions}))
    return actions


def service_label(action):
    return service_method(action.service_method or "hand").label

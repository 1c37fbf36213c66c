"""Read side of the holder page: everything about one holder in a handful of set-based queries."""

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from licensing.extensions import db
from licensing.holders.checks import check_overview
from licensing.models import (
    AuditEvent,
    ComplianceCheck,
    Conviction,
    Intelligence,
    Licence,
    LicenceApplication,
    Vehicle,
)


def holder_sections(holder, user, today):
    """The sections other areas contribute to the holder page: (template, context) pairs."""
    from licensing.compliance import holder_compliance
    from licensing.hearings.queries import holder_decisions
    from licensing.reviews.queries import cases_for_holder
    from licensing.revocations.queries import holder_enforcement
    from licensing.training.queries import holder_reminders

    return [
        ("holders/sections/compliance.html",
         {"compliance": holder_compliance(holder.id, today), "reminders": holder_reminders(holder.id)}),
        ("holders/sections/cases.html", {"holder_cases": cases_for_holder(holder.id)}),
        ("revocations/_holder_enforcement.html", holder_enforcement(holder.id, today)),
        ("hearings/_holder_decisions.html", {"hearing_decisions": holder_decisions(holder.id)}),
    ]


def holder_licences(holder_id):
    return db.session.execute(
        sa.select(Licence)
        .where(Licence.holder_id == holder_id)
        .options(joinedload(Licence.vehicle), joinedload(Licence.operator_licence))
        .order_by(Licence.id)
    ).scalars().all()


def holder_record(holder, today, *, with_intelligence=False):
    """The sections of the holder page, as plain lists."""
    licences = holder_licences(holder.id)
    vehicles = db.session.execute(
        sa.select(Vehicle).where(Vehicle.proprietor_id == holder.id).order_by(Vehicle.id)
    ).scalars().all()
    licence_ids = [lic.id for lic in licences]
    checks = db.session.execute(
        sa.select(ComplianceCheck)
        .where(sa.or_(ComplianceCheck.holder_id == holder.id, ComplianceCheck.licence_id.in_(licence_ids)))
        .options(selectinload(ComplianceCheck.documents))
        .order_by(ComplianceCheck.kind, ComplianceCheck.completed_on.desc(), ComplianceCheck.id.desc())
    ).scalars().all()
    convictions = db.session.execute(
        sa.select(Conviction).where(Conviction.holder_id == holder.id).order_by(Conviction.conviction_date.desc())
    ).scalars().all()
    applications = db.session.execute(
        sa.select(LicenceApplication)
        .where(LicenceApplication.licence_id.in_(licence_ids))
        .options(joinedload(LicenceApplication.decided_by))
        .order_by(LicenceApplication.received_on.desc(), LicenceApplication.id.desc())
    ).scalars().all()
    return {
        "licences": licences,
        "vehicles": vehicles,
        "check_rows": check_overview(licences, checks, today),
        "convictions": convictions,
        "applications": applications,
        "intelligence": holder_intelligence(holder.id) if with_intelligence else None,
    }


def holder_intelligence(holder_id):
    return db.session.execute(
        sa.select(Intelligence).where(Intelligence.holder_id == holder_id).order_by(Intelligence.received_on.desc())
    ).scalars().all()


TIMELINE_LABELS = {
    "holder.create": "Licence holder created",
    "holder.update": "Details changed",
    "vehicle.create": "Vehicle added",
    "vehicle.update": "Vehicle details changed",
    "licence.apply": "Licence application recorded",
    "licence_application.receive": "Application received",
    "licence_application.granted": "Application granted",
    "licence_application.refused": "Application refused",
    "licence_application.deferred": "Application deferred",
    "licence.grant": "Licence granted",
    "licence.refuse": "Licence refused",
    "licence.renew": "Licence renewed",
    "licence.active": "Licence reinstated",
    "licence.suspended": "Licence suspended",
    "licence.revoked": "Licence revoked",
    "licence.expired": "Licence expired",
    "licence.surrendered": "Licence surrendered",
    "check.record": "Compliance check recorded",
    "evidence.upload": "Evidence uploaded",
    "evidence.download": "Evidence downloaded",
    "conviction.record": "Conviction recorded",
    "intelligence.create": "Intelligence recorded",
    "intelligence.view": "Intelligence viewed",
    "enforcement_action.effective": "Decision took effect",
    "enforcement_action.suspension_ended": "Suspension ended",
    "enforcement_action.returned": "Badge or plate returned",
    "appeal.lodged": "Appeal lodged",
    "appeal.decided": "Appeal decided",
    "licence.restored_on_appeal": "Licence restored on appeal",
    "nr3s.entered": "NR3S entry made",
}


def describe_event(event):
    """A sentence-case description of an audit event for the timeline."""
    return TIMELINE_LABELS.get(event.action, event.action.replace("_", " ").replace(".", ": ").capitalize())


def holder_timeline(holder_id, *, include_intelligence, page=1, per_page=50):
    """Dated events from the audit trail about this holder, newest first."""
    query = sa.select(AuditEvent).where(AuditEvent.holder_id == holder_id)
    if not include_intelligence:
        # Not even the existence of intelligence shows to someone without clearance.
        query = query.where(AuditEvent.entity_type != "intelligence")
    events = db.session.execute(
        query.options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).scalars().all()
    if page == 1 and len(events) < per_page:
        return events, len(events)  # the first page holds every event: no need to count
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    return events, total

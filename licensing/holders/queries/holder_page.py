"""Read side of the holder page: everything about one holder in a handful of set-based queries."""

import functools

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from licensing.extensions import db
from licensing.holders.checks import check_overview
from licensing.models import (
    Appeal,
    AuditEvent,
    Booking,
    ComplianceCheck,
    Conviction,
    EnforcementAction,
    EvidenceDocument,
    Intelligence,
    Licence,
    LicenceApplication,
    Nr3sEntry,
    OutboundEmail,
    ReviewCase,
    Vehicle,
)
from licensing.text import AUDIT_ACTION_LABELS, audit_action_label


# What the holder page asks before loading: which of these the holder has any of. Sections with
# nothing are not queried, so a holder with a short record costs a few statements, not twenty.
def _presence_probes():
    return {**_SECTION_PROBES,
        "vehicles": Vehicle.proprietor_id, "convictions": Conviction.holder_id,
        "intelligence": Intelligence.holder_id, "documents": EvidenceDocument.holder_id,
        "events": AuditEvent.holder_id, "cases": ReviewCase.holder_id, "actions": EnforcementAction.holder_id,
        "appeals": Appeal.holder_id, "nr3s": Nr3sEntry.holder_id, "bookings": Booking.holder_id,
        "emails": OutboundEmail.holder_id,
    }


@functools.cache
def _presence_statement():
    """Built once: constructing eleven EXISTS clauses costs more than running them."""
    holder_id = sa.bindparam("holder_id", type_=sa.Integer)
    return sa.select(*(sa.exists().where(column == holder_id).label(name)
                       for name, column in _presence_probes().items()))


def holder_presence(holder_id):
    """The names (see `_presence_probes`) of the records this holder has at least one of."""
    row = db.session.execute(_presence_statement(), {"holder_id": holder_id}).one()
    return {name for name, present in row._mapping.items() if present}


# Sections other areas add to the holder page, in order: template -> context(holder, today, record,
# present), filled by create_app so that the register does not import the areas built on it.
_SECTIONS = {}
_SECTION_PROBES = {}  # name -> holder id column: probes a section adds, so its empty tables are not read


def register_holder_section(template, context, probes=None):
    """Add a section to the holder page. `context(holder, today, record, present)` gives the
    template's values; `record` is `holder_record`'s result and `present` is `holder_presence`'s.
    `probes` (name -> a column holding the holder's id) join the presence probe."""
    _SECTIONS[template] = context
    if probes:
        _SECTION_PROBES.update(probes)
        _presence_statement.cache_clear()  # built again, with these, on the next holder page


def holder_sections(holder, today, record, present):
    """The sections other areas contribute to the holder page: (template, context) pairs."""
    return [(template, context(holder, today, record, present)) for template, context in _SECTIONS.items()]


def holder_licences(holder_id):
    return db.session.execute(
        sa.select(Licence)
        .where(Licence.holder_id == holder_id)
        .options(joinedload(Licence.vehicle), joinedload(Licence.operator_licence))
        .order_by(Licence.id)
    ).scalars().all()


# Audit rows about restricted records: not even their existence shows without clearance.
RESTRICTED_ENTITY_TYPES = ("intelligence", "non_conviction_information", "information_shares", "incoming_concerns")


def holder_record(holder, today, *, with_intelligence=False, with_convictions=True, present=None):
    """The sections of the holder page, as plain lists. `present`: `holder_presence`'s answer,
    when known, so that empty sections are not queried."""
    present = set(_presence_probes()) if present is None else present
    licences = holder_licences(holder.id)
    vehicles = db.session.execute(
        sa.select(Vehicle).where(Vehicle.proprietor_id == holder.id).order_by(Vehicle.id)
    ).scalars().all() if "vehicles" in present else []
    licence_ids = [lic.id for lic in licences]
    with_documents = "documents" in present
    checks = db.session.execute(
        sa.select(ComplianceCheck)
        .where(sa.or_(ComplianceCheck.holder_id == holder.id, ComplianceCheck.licence_id.in_(licence_ids)))
        .options(*([selectinload(ComplianceCheck.documents)] if with_documents else []))
        .order_by(ComplianceCheck.kind, ComplianceCheck.completed_on.desc(), ComplianceCheck.id.desc())
    ).scalars().all()
    if not with_documents:
        for check in checks:  # the holder has no evidence documents: none to load for any check
            set_committed_value(check, "documents", [])
    convictions = db.session.execute(
        sa.select(Conviction).where(Conviction.holder_id == holder.id).order_by(Conviction.conviction_date.desc())
    ).scalars().all() if "convictions" in present and with_convictions else []
    applications = db.session.execute(
        sa.select(LicenceApplication)
        .where(LicenceApplication.licence_id.in_(licence_ids))
        .options(joinedload(LicenceApplication.decided_by))
        .order_by(LicenceApplication.received_on.desc(), LicenceApplication.id.desc())
    ).scalars().all() if licence_ids else []
    intelligence = None
    if with_intelligence:
        intelligence = holder_intelligence(holder.id) if "intelligence" in present else []
    return {
        "licences": licences,
        "vehicles": vehicles,
        "check_rows": check_overview(licences, checks, today),
        "convictions": convictions,
        "can_read_convictions": with_convictions,
        "applications": applications,
        "intelligence": intelligence,
    }


def holder_intelligence(holder_id):
    return db.session.execute(
        sa.select(Intelligence).where(Intelligence.holder_id == holder_id).order_by(Intelligence.received_on.desc())
    ).scalars().all()


TIMELINE_LABELS = AUDIT_ACTION_LABELS  # the holder timeline words events as the audit trail does


def describe_event(event):
    """A sentence-case description of an audit event for the timeline."""
    return audit_action_label(event.action)


VIEW_ACTIONS = ("intelligence.view", "non_conviction_information.view")


def holder_timeline(holder_id, *, include_intelligence, page=1, per_page=50, present=None):
    """Dated events from the audit trail about this holder, newest first."""
    if present is not None and "events" not in present:
        return [], 0
    # Views of restricted records stay in the audit trail (an admin can list them), but a page
    # view is not an event in the holder's history.
    query = sa.select(AuditEvent).where(AuditEvent.holder_id == holder_id, AuditEvent.action.not_in(VIEW_ACTIONS))
    if not include_intelligence:
        # Not even the existence of intelligence shows to someone without clearance.
        query = query.where(AuditEvent.entity_type.not_in(RESTRICTED_ENTITY_TYPES))
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

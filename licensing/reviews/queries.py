"""Read side of reviews: work queues, case pages, timelines, campaign progress, registers."""

import functools

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload, selectinload

from licensing.extensions import db
from licensing.holders.queries.search import find_holder
from licensing.models import (
    AuditEvent,
    CaseDocument,
    CaseNote,
    CaseOutcome,
    CasePriority,
    CaseState,
    Complaint,
    ConvictionAssessment,
    ConvictionGuidanceEdition,
    EnforcementAction,
    EnforcementCheck,
    Hearing,
    HearingDecision,
    HearingListing,
    HearingOutcome,
    HearingStatus,
    Licence,
    LicenceHolder,
    OfficerReport,
    PolicyReviewCampaign,
    ReviewCase,
    Role,
    User,
    Vehicle,
    normalise_registration,
)
from licensing.models.reviews import FINISHED_STATES


def _page(query, page, per_page, options=()):
    # Counted without the ordering, which would otherwise sort every matching row first.
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.execute(
        query.options(*options).limit(per_page).offset((max(page, 1) - 1) * per_page)
    ).scalars().all()
    return rows, total


CASE_LIST_OPTIONS = (joinedload(ReviewCase.holder), joinedload(ReviewCase.assigned_officer))


# Cases that wait on an officer: a decided case waits for nothing but its closing, and a closed or
# withdrawn one is finished, so none of them is work in the queue or overdue.
WORK_STATES = tuple(s for s in CaseState if s != CaseState.DECIDED and s not in FINISHED_STATES)
AWAITING_WORK = ReviewCase.state.in_([s.value for s in WORK_STATES])
# The queue's lists, also offered as a filter on the case list (?work=…) for its "See all" links.
WORK_LISTS = {"mine": "My cases", "unassigned": "Unassigned cases", "overdue": "Overdue cases"}


def work_lists(user, today):
    """{list name: SQL condition} for the work queue's lists; each applies with AWAITING_WORK."""
    return {
        "mine": ReviewCase.assigned_officer_id == user.id,
        "unassigned": ReviewCase.assigned_officer_id.is_(None),
        "overdue": ReviewCase.due_on < today,
    }


def work_queue(user, today, per_page=25):
    """The officer's three lists: my cases, unassigned, overdue (cases awaiting work only), each as
    (first page, how many). The three counts come from one pass over those cases."""
    lists = work_lists(user, today)
    counts = db.session.execute(sa.select(*(
        sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0).label(name)
        for name, condition in lists.items()
    )).where(AWAITING_WORK)).one()._mapping
    base = sa.select(ReviewCase).where(AWAITING_WORK).order_by(ReviewCase.due_on, ReviewCase.id)
    return {
        name: (db.session.execute(base.where(condition).options(*CASE_LIST_OPTIONS).limit(per_page)
                                  ).scalars().all(), counts[name])
        for name, condition in lists.items()
    }


# Columns the case list can be sorted by (?sort=…&direction=ascending|descending); newest first by default.
CASE_SORT_COLUMNS = {
    "reference": (ReviewCase.id,),
    "holder": (LicenceHolder.last_name, LicenceHolder.first_name, LicenceHolder.organisation_name),
    "state": (sa.case({s: i for i, s in enumerate(CaseState)}, value=ReviewCase.state),),
    "priority": (sa.case({p: i for i, p in enumerate(CasePriority)}, value=ReviewCase.priority),),
    "due": (ReviewCase.due_on,),
}


def case_sort(key, direction):
    """The requested sort if it is one we offer, else newest first. Unknown values are ignored."""
    if key not in CASE_SORT_COLUMNS:
        return {"key": "reference", "direction": "descending"}
    return {"key": key, "direction": "descending" if direction == "descending" else "ascending"}


def list_cases(state=None, origin=None, page=1, per_page=25, sort=None, work=None):
    """A page of cases; `work` is a SQL condition from `work_lists` (cases awaiting work only)."""
    sort = sort or case_sort(None, None)
    columns = CASE_SORT_COLUMNS[sort["key"]]
    order = [c.desc() if sort["direction"] == "descending" else c.asc() for c in columns]
    query = sa.select(ReviewCase).order_by(*order, ReviewCase.id.desc())
    if sort["key"] == "holder":
        query = query.join(LicenceHolder, LicenceHolder.id == ReviewCase.holder_id)
    if state:
        query = query.where(ReviewCase.state == state)
    if origin:
        query = query.where(ReviewCase.origin == origin)
    if work is not None:
        query = query.where(AWAITING_WORK, work)
    return _page(query, page, per_page, CASE_LIST_OPTIONS)


def cases_for_holder(holder_id):
    """Every case about a holder, newest first (for the holder page)."""
    return db.session.execute(
        sa.select(ReviewCase).where(ReviewCase.holder_id == holder_id)
        .options(joinedload(ReviewCase.assigned_officer)).order_by(ReviewCase.id.desc())
    ).scalars().all()


# The case page's sections, each loaded only when the probe finds rows for the case.
CASE_SECTIONS = {
    "notes": (CaseNote, lambda q: q.options(joinedload(CaseNote.author)).order_by(CaseNote.id.desc())),
    "documents": (CaseDocument, lambda q: q.options(joinedload(CaseDocument.uploaded_by)).order_by(CaseDocument.id)),
    "assessments": (ConvictionAssessment, lambda q: q.options(joinedload(ConvictionAssessment.edition))
                    .order_by(ConvictionAssessment.id.desc())),
    "actions": (EnforcementAction, lambda q: q.options(joinedload(EnforcementAction.licence),
                                                       selectinload(EnforcementAction.letters))
                .order_by(EnforcementAction.id)),
    "complaints": (Complaint, lambda q: q.order_by(Complaint.id)),
    "checks": (EnforcementCheck, lambda q: q.order_by(EnforcementCheck.id)),
    "reports": (OfficerReport, lambda q: q.options(joinedload(OfficerReport.updated_by))),
}
CASE_PAGE_OPTIONS = (joinedload(ReviewCase.holder), selectinload(ReviewCase.licences),
                     joinedload(ReviewCase.assigned_officer), joinedload(ReviewCase.opened_by))


@functools.cache
def _case_presence_statement():
    case_id = sa.bindparam("case_id", type_=sa.Integer)
    return sa.select(*(sa.exists().where(model.case_id == case_id).label(name)
                       for name, (model, _) in CASE_SECTIONS.items()))


def case_page(case):
    """Everything shown on the case page, each in one query; sections the case has nothing in
    are answered by one probe instead of a query each."""
    present = db.session.execute(_case_presence_statement(), {"case_id": case.id}).one()._mapping
    return {
        name: db.session.execute(shape(sa.select(model).where(model.case_id == case.id))).scalars().all()
        if present[name] else []
        for name, (model, shape) in CASE_SECTIONS.items()
    }


def _linked(entity_type, model, case_id):
    return sa.and_(AuditEvent.entity_type == entity_type,
                   AuditEvent.entity_id.in_(sa.select(model.id).where(model.case_id == case_id)))


def case_timeline(case, notes=None):
    """Audit rows about the case and the actions, complaints and checks linked to it, merged
    with its notes (`notes`, when the caller has them), oldest first."""
    events = db.session.execute(
        sa.select(AuditEvent).where(sa.or_(
            sa.and_(AuditEvent.entity_type == "review_cases", AuditEvent.entity_id == case.id),
            _linked("enforcement_actions", EnforcementAction, case.id),
            _linked("complaints", Complaint, case.id),
            _linked("enforcement_checks", EnforcementCheck, case.id),
        ))
        .options(joinedload(AuditEvent.actor)).order_by(AuditEvent.occurred_at, AuditEvent.id)
    ).scalars().all()
    if notes is None:
        notes = db.session.execute(
            sa.select(CaseNote).filter_by(case_id=case.id).options(joinedload(CaseNote.author))).scalars()
    notes = {n.id: n for n in notes}
    entries = []
    for event in events:
        note = notes.get((event.after or {}).get("note_id")) if event.action == "case.note_added" else None
        entries.append({
            "at": event.occurred_at, "who": event.actor.name if event.actor else "System",
            "action": event.action, "before": event.before, "after": event.after,
            "reason": event.reason, "note": note.body if note else None,
        })
    return entries


def officers():
    return db.session.execute(
        sa.select(User).where(User.role == Role.OFFICER, User.is_enabled.is_(True)).order_by(User.name)
    ).scalars().all()


def licences_by_number(numbers):
    if not numbers:
        return []
    return db.session.execute(sa.select(Licence).where(Licence.licence_number.in_(numbers))).scalars().all()


def licence_id_by_number(number):
    return db.session.scalar(sa.select(Licence.id).filter_by(licence_number=(number or "").strip()))


def vehicle_id_by_registration(registration):
    return db.session.scalar(sa.select(Vehicle.id).where(Vehicle.registration == normalise_registration(registration)))


def vehicle_licence(vehicle_id):
    """The vehicle's latest licence (for a link to it), or None."""
    if vehicle_id is None:
        return None
    return db.session.execute(sa.select(Licence).where(Licence.vehicle_id == vehicle_id)
                              .order_by(Licence.id.desc()).limit(1)).scalar_one_or_none()


def holder_by_ref(ref):
    """The one holder `ref` names (reference, badge, licence or plate number, registration, name)."""
    return find_holder(ref)[0]


def campaigns(page=1, per_page=25):
    return _page(sa.select(PolicyReviewCampaign).order_by(PolicyReviewCampaign.id.desc()), page, per_page,
                 (joinedload(PolicyReviewCampaign.edition),))


def campaign_at_risk(campaign_id, page=1, per_page=50):
    """At-risk holders, most severe first, with their case if one is open."""
    query = (
        sa.select(ConvictionAssessment).where(ConvictionAssessment.campaign_id == campaign_id)
        .order_by(ConvictionAssessment.severity.desc(), ConvictionAssessment.holder_id)
    )
    return _page(query, page, per_page,
                 (joinedload(ConvictionAssessment.holder), joinedload(ConvictionAssessment.case)))


def heard_at_hearing():
    """SQL: the case's outcome came from a hearing, that is a current decision (no correction
    supersedes it) on a listing of the case at a hearing not cancelled, that decided it (not a
    deferral, not a licence handed back)."""
    correction = aliased(HearingDecision)
    return sa.exists().where(
        HearingListing.case_id == ReviewCase.id, HearingListing.removed.is_(False),
        Hearing.id == HearingListing.hearing_id, Hearing.status != HearingStatus.CANCELLED,
        HearingDecision.listing_id == HearingListing.id,
        HearingDecision.outcome.not_in([HearingOutcome.DEFER, HearingOutcome.SURRENDERED]),
        ~sa.exists().where(correction.supersedes_id == HearingDecision.id),
    )


FINISHED = ReviewCase.state.in_([s.value for s in FINISHED_STATES])
# A campaign's cases as the council reported them. Every case is in exactly one of heard,
# decided without a hearing, pending and withdrawn; the heard ones by their outcome.
CAMPAIGN_PARTS = ("heard", *(o.value for o in CaseOutcome), "decided_otherwise", "pending", "withdrawn")


def campaign_case_condition(part):
    """SQL condition on ReviewCase for one of CAMPAIGN_PARTS, or "all" for every case opened."""
    heard = sa.and_(ReviewCase.outcome.is_not(None), heard_at_hearing())
    conditions = {
        "all": sa.true(),
        "heard": heard,
        **{o.value: sa.and_(heard, ReviewCase.outcome == o.value) for o in CaseOutcome},
        "decided_otherwise": sa.and_(ReviewCase.outcome.is_not(None), ~heard_at_hearing()),
        "pending": sa.and_(ReviewCase.outcome.is_(None), ~FINISHED),
        "withdrawn": sa.and_(ReviewCase.outcome.is_(None), FINISHED),
    }
    return conditions[part]


def campaign_progress(campaign_id):
    """identified; cases opened; heard (the outcome came from a hearing's decision) and each heard
    outcome; decided without a hearing; pending (still to be heard); withdrawn (or closed without an
    outcome); and the identified holders with no case opened."""
    identified = db.session.scalar(sa.select(sa.func.count(ConvictionAssessment.id))
                                   .where(ConvictionAssessment.campaign_id == campaign_id))
    parts = ("all", *CAMPAIGN_PARTS)
    row = db.session.execute(
        sa.select(*(sa.func.count(sa.case((campaign_case_condition(part), 1))) for part in parts))
        .select_from(ReviewCase).where(ReviewCase.campaign_id == campaign_id)
    ).one()
    counts = dict(zip(parts, row, strict=True))
    opened = counts.pop("all")
    return {"identified": identified, "cases_opened": opened, **counts, "not_opened": max(identified - opened, 0)}


def guidance_editions():
    return db.session.execute(
        sa.select(ConvictionGuidanceEdition).order_by(ConvictionGuidanceEdition.effective_from.desc())
    ).scalars().all()


def complaints(status=None, page=1, per_page=25):
    query = sa.select(Complaint).order_by(Complaint.received_on.desc(), Complaint.id.desc())
    if status:
        query = query.where(Complaint.status == status)
    return _page(query, page, per_page, (joinedload(Complaint.holder), joinedload(Complaint.vehicle)))


def enforcement_checks(page=1, per_page=25):
    query = sa.select(EnforcementCheck).order_by(EnforcementCheck.checked_on.desc(), EnforcementCheck.id.desc())
    return _page(query, page, per_page, (joinedload(EnforcementCheck.driver), joinedload(EnforcementCheck.vehicle),
                                         joinedload(EnforcementCheck.officer)))


def unopened_assessment_ids(campaign_id):
    return db.session.execute(
        sa.select(ConvictionAssessment.id).where(
            ConvictionAssessment.campaign_id == campaign_id, ConvictionAssessment.case_id.is_(None))
    ).scalars().all()


def holder_cases_section(holder, today, record, present):
    return {"holder_cases": cases_for_holder(holder.id) if "cases" in present else []}

"""Read side of hearings: lists, the agenda and the panel bundle, in a few set-based queries."""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from licensing.compliance.evaluate import holder_compliance
from licensing.extensions import db
from licensing.hearings.access import sits_on_clause
from licensing.models import (
    CaseDocument,
    CaseState,
    Conviction,
    ConvictionAssessment,
    EnforcementAction,
    Hearing,
    HearingDecision,
    HearingListing,
    HearingStatus,
    Intelligence,
    IssuedLetter,
    Licence,
    LicenceHolder,
    OutboundEmail,
    ReviewCase,
    Role,
)
from licensing.models.reviews import case_licences
from licensing.policy.filtering import unprotected

PER_PAGE = 25


def hearings_for(user, page=1):
    """Every hearing for staff; only the ones a panel member sits on for them. Newest first."""
    query = sa.select(Hearing).options(selectinload(Hearing.chair)).order_by(Hearing.starts_at.desc())
    if user.role == Role.PANEL:
        query = query.where(sits_on_clause(user.id))
    total = db.session.execute(sa.select(sa.func.count()).select_from(query.order_by(None).subquery())).scalar()
    rows = db.session.execute(query.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).scalars().all()
    return rows, total


def agenda(hearing):
    return db.session.execute(
        sa.select(HearingListing).where(HearingListing.hearing_id == hearing.id, HearingListing.removed.is_(False))
        .options(selectinload(HearingListing.case).selectinload(ReviewCase.holder),
                 selectinload(HearingListing.case).selectinload(ReviewCase.licences))
        .order_by(HearingListing.position)).scalars().all()


def awaiting_cases(query=None, limit=25):
    """Cases awaiting decision, longest waiting first; with `query`, those whose reference, holder's
    name or licence number contains it (any case, however many are waiting)."""
    select = sa.select(ReviewCase).where(ReviewCase.state == CaseState.AWAITING_DECISION)
    text = (query or "").strip().lower()
    if text:
        like = f"%{text}%"
        licensed = sa.select(case_licences.c.case_id).join(Licence, Licence.id == case_licences.c.licence_id).where(
            sa.func.lower(Licence.licence_number).like(like))
        named = sa.select(LicenceHolder.id).where(sa.or_(
            sa.func.lower(LicenceHolder.first_name + " " + LicenceHolder.last_name).like(like),
            sa.func.lower(LicenceHolder.last_name).like(like),
            sa.func.lower(LicenceHolder.organisation_name).like(like)))
        select = select.where(sa.or_(sa.func.lower(ReviewCase.reference).like(like), ReviewCase.id.in_(licensed),
                                     ReviewCase.holder_id.in_(named)))
    return db.session.execute(select.options(selectinload(ReviewCase.holder)).order_by(ReviewCase.id)
                              .limit(limit)).scalars().all()


def other_hearings(hearing, today=None):
    """Hearings a listed case can move to: scheduled ones from today on, soonest first (a
    scheduled hearing left in the past is not somewhere a case can go)."""
    today = today or dt.date.today()
    return db.session.execute(
        sa.select(Hearing).where(Hearing.id != hearing.id, Hearing.status == "scheduled",
                                 Hearing.starts_at >= dt.datetime.combine(today, dt.time()))
        .order_by(Hearing.starts_at).limit(50)).scalars().all()


def disclosed_document(listing, document_id):
    return db.session.execute(sa.select(CaseDocument).where(
        CaseDocument.id == document_id, CaseDocument.case_id == listing.case_id,
        CaseDocument.disclose_to_panel.is_(True))).scalar_one_or_none()


@dataclass
class Bundle:
    listing: HearingListing
    documents: list
    convictions: list
    assessment: ConvictionAssessment | None
    intelligence: list
    actions: list
    compliance: object


def bundle(listing, on_date=None):
    """What the panel sees for one listed case: only material marked for disclosure."""
    case = listing.case
    holder_id = case.holder_id
    documents = db.session.execute(sa.select(CaseDocument).where(
        CaseDocument.case_id == case.id, CaseDocument.disclose_to_panel.is_(True)).order_by(CaseDocument.id)
    ).scalars().all()
    convictions = db.session.execute(sa.select(Conviction).where(Conviction.holder_id == holder_id,
                                                                 Conviction.withdrawn_at.is_(None))
                                     .order_by(Conviction.conviction_date.desc())).scalars().all()
    convictions = unprotected(convictions, on_date or dt.date.today())  # protected items never reach a panel
    assessment = db.session.execute(sa.select(ConvictionAssessment).where(
        ConvictionAssessment.holder_id == holder_id).order_by(ConvictionAssessment.id.desc()).limit(1)
    ).scalar_one_or_none()
    intelligence = db.session.execute(sa.select(Intelligence).where(
        Intelligence.holder_id == holder_id, Intelligence.disclose_to_panel.is_(True))
        .order_by(Intelligence.received_on)).scalars().all()
    actions = db.session.execute(sa.select(EnforcementAction).where(EnforcementAction.holder_id == holder_id)
                                 .order_by(EnforcementAction.decision_date)).scalars().all()
    return Bundle(listing, documents, convictions, assessment, intelligence, actions,
                  holder_compliance(holder_id, on_date or dt.date.today()))


def chairs_hearing_of_case(user, case_id):
    """Whether the user chairs a live hearing at which this case is listed (not removed)."""
    return db.session.execute(sa.select(
        sa.select(HearingListing.id).join(Hearing, Hearing.id == HearingListing.hearing_id).where(
            HearingListing.case_id == case_id, HearingListing.removed.is_(False),
            Hearing.chair_id == user.id, Hearing.status != HearingStatus.CANCELLED).exists())).scalar()


def case_letters(case_id):
    return db.session.execute(sa.select(IssuedLetter).where(
        IssuedLetter.case_id == case_id, IssuedLetter.kind.like("hearing_%")).order_by(IssuedLetter.id)
    ).scalars().all()


def holder_decisions(holder_id):
    """Hearing decisions about one holder, newest first, for the holder page."""
    return db.session.execute(
        sa.select(HearingDecision, Hearing)
        .join(HearingListing, HearingListing.id == HearingDecision.listing_id)
        .join(Hearing, Hearing.id == HearingListing.hearing_id)
        .join(ReviewCase, ReviewCase.id == HearingListing.case_id)
        .where(ReviewCase.holder_id == holder_id)
        .order_by(HearingDecision.decision_date.desc(), HearingDecision.id.desc())
    ).all()


def letter_emails(letter_ids):
    """{letter id: its outbox message} for the letters that have been put in the outbox."""
    if not letter_ids:
        return {}
    rows = db.session.execute(sa.select(OutboundEmail).where(OutboundEmail.letter_id.in_(letter_ids))).scalars()
    return {row.letter_id: row for row in rows}


def latest_listing(case_id):
    return db.session.execute(sa.select(HearingListing).where(HearingListing.case_id == case_id)
                              .order_by(HearingListing.id.desc())).scalars().first()


def holder_decisions_section(holder, today, record, present):
    return {"hearing_decisions": holder_decisions(holder.id) if "cases" in present else []}

"""Read side of the safeguarding area: a holder's restricted information, the sharing log,
incoming s.5 concerns still open, and subject access requests."""

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from licensing.extensions import db
from licensing.models import (
    IncomingConcern,
    InformationShare,
    Licence,
    LicenceHolder,
    NonConvictionInformation,
    ReviewCase,
    SubjectAccessRequest,
)

PER_PAGE = 25


def holder_non_conviction(holder_id):
    return db.session.execute(
        sa.select(NonConvictionInformation).where(NonConvictionInformation.holder_id == holder_id)
        .options(joinedload(NonConvictionInformation.found_by))
        .order_by(NonConvictionInformation.occurred_on.desc(), NonConvictionInformation.id.desc())).scalars().all()


def holder_concerns(holder_id):
    return db.session.execute(
        sa.select(IncomingConcern).where(IncomingConcern.holder_id == holder_id)
        .order_by(IncomingConcern.received_on.desc(), IncomingConcern.id.desc())).scalars().all()


def holder_shares(holder_id):
    return db.session.execute(
        sa.select(InformationShare).where(InformationShare.holder_id == holder_id)
        .options(joinedload(InformationShare.shared_by))
        .order_by(InformationShare.shared_on.desc(), InformationShare.id.desc())).scalars().all()


def case_choices(holder_id):
    cases = db.session.execute(sa.select(ReviewCase.id, ReviewCase.reference).where(ReviewCase.holder_id == holder_id)
                               .order_by(ReviewCase.id.desc())).all()
    return [("", "Not linked to a case")] + [(str(row.id), row.reference) for row in cases]


def driver_licence_choices(holder_id):
    licences = db.session.execute(sa.select(Licence).where(Licence.holder_id == holder_id).order_by(Licence.id)
                                  ).scalars().all()
    return [("", "Not one licence")] + [(str(lic.id), f"{lic.licence_number} ({lic.licence_type.label})")
                                        for lic in licences if lic.licence_type.is_driver]


def sharing_log(page=1):
    query = sa.select(InformationShare).options(joinedload(InformationShare.holder),
                                                joinedload(InformationShare.shared_by))
    total = db.session.scalar(sa.select(sa.func.count(InformationShare.id)))
    rows = db.session.execute(query.order_by(InformationShare.shared_on.desc(), InformationShare.id.desc())
                              .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).scalars().all()
    return rows, total


def open_concerns():
    """Incoming s.5 information not yet decided, or decided with the sender still to be told."""
    return db.session.execute(
        sa.select(IncomingConcern).where(sa.or_(IncomingConcern.considered_on.is_(None),
                                                IncomingConcern.sender_informed_on.is_(None)))
        .options(joinedload(IncomingConcern.holder))
        .order_by(IncomingConcern.consider_by, IncomingConcern.id)).scalars().all()


def holder_by_ref(holder_ref):
    ref = (holder_ref or "").strip().upper()
    if not ref:
        return None
    return db.session.execute(sa.select(LicenceHolder).where(sa.func.upper(LicenceHolder.holder_ref) == ref)
                              ).scalar_one_or_none()


def subject_access_requests(page=1):
    total = db.session.scalar(sa.select(sa.func.count(SubjectAccessRequest.id)))
    rows = db.session.execute(
        sa.select(SubjectAccessRequest).options(joinedload(SubjectAccessRequest.holder))
        .order_by(SubjectAccessRequest.id.desc()).limit(PER_PAGE).offset((page - 1) * PER_PAGE)).scalars().all()
    return rows, total


def case_non_conviction_items(case_id):
    """The non-conviction information linked to a review case, oldest first: for the case and,
    through disclosure control, the hearing bundle. Restricted: callers show it only to those
    who hold `Permission.INTELLIGENCE_READ` (or through the bundle's own disclosure rules)."""
    return db.session.execute(
        sa.select(NonConvictionInformation).where(NonConvictionInformation.case_id == case_id)
        .order_by(NonConvictionInformation.occurred_on, NonConvictionInformation.id)).scalars().all()

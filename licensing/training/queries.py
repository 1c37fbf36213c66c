"""Read side: sessions, the officer work queue, proposals, job runs, reminders per holder."""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload

from licensing.compliance.evaluate import holder_compliance
from licensing.extensions import db
from licensing.holders.queries.search import find_holder
from licensing.models import (
    Booking,
    BookingStatus,
    ComplianceFlag,
    Course,
    FlagStatus,
    JobRun,
    Licence,
    LicenceHolder,
    OutboundEmail,
    ProposalStatus,
    SuspensionProposal,
    TrainingSession,
)


def _page(query, page, per_page):
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    return rows, total


def courses():
    return db.session.scalars(sa.select(Course).order_by(Course.title)).all()


def sessions(page, per_page):
    booked = (
        sa.select(sa.func.count(Booking.id)).where(
            Booking.session_id == TrainingSession.id, Booking.status != BookingStatus.CANCELLED
        ).scalar_subquery()
    )
    query = (
        sa.select(TrainingSession, booked.label("booked"))
        .options(joinedload(TrainingSession.course))
        .order_by(TrainingSession.held_on.desc(), TrainingSession.id)
    )
    return _page(query, page, per_page)


def session_bookings(session_id):
    return db.session.scalars(
        sa.select(Booking).options(joinedload(Booking.holder))
        .where(Booking.session_id == session_id).order_by(Booking.id)
    ).all()


def _latest_stage_only(query):
    """One row per item: the flag of its tightest stage so far."""
    later = aliased(ComplianceFlag)
    return query.where(~sa.exists().where(
        later.licence_id == ComplianceFlag.licence_id, later.requirement == ComplianceFlag.requirement,
        later.due_on == ComplianceFlag.due_on, later.lead_days < ComplianceFlag.lead_days,
    ))


QUEUE_COUNT_CAP = 1000  # beyond this the queue says "more than 1,000" instead of counting them all


@dataclass
class QueuePage:
    rows: list
    total: int  # capped at QUEUE_COUNT_CAP + 1
    previous_key: str | None  # pass as ?before= for the page before
    next_key: str | None  # pass as ?after= for the page after

    @property
    def more_than_cap(self):
        return self.total > QUEUE_COUNT_CAP


def _key(flag):
    return f"{flag.due_on.isoformat()}.{flag.id}"


def _parse_key(value):
    try:
        day, _, ident = (value or "").partition(".")
        return dt.date.fromisoformat(day), int(ident)
    except ValueError:
        return None


def work_queue(today, *, requirement=None, licence_type=None, days_left=None, after=None, before=None, per_page=25):
    """Open and chased items, most urgent first, with filters; read a page at a time by key
    (due date, id) so a page deep in the queue costs what the first one does."""
    query = _latest_stage_only(
        sa.select(ComplianceFlag, Licence.licence_number, Licence.licence_type, LicenceHolder.holder_ref,
                  LicenceHolder.first_name, LicenceHolder.last_name, LicenceHolder.organisation_name)
        .join(Licence, Licence.id == ComplianceFlag.licence_id)
        .join(LicenceHolder, LicenceHolder.id == ComplianceFlag.holder_id)
        .where(ComplianceFlag.status.in_((FlagStatus.OPEN, FlagStatus.CHASED)))
    )
    if requirement:
        query = query.where(ComplianceFlag.requirement == requirement)
    if licence_type:
        query = query.where(Licence.licence_type == licence_type)
    if days_left is not None:
        query = query.where(ComplianceFlag.due_on <= today + dt.timedelta(days=days_left))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(
        query.with_only_columns(ComplianceFlag.id).limit(QUEUE_COUNT_CAP + 1).subquery()))
    position = sa.tuple_(ComplianceFlag.due_on, ComplianceFlag.id)
    after, before = _parse_key(after), _parse_key(before)
    if before:
        rows = db.session.execute(query.where(position < sa.tuple_(*before))
                                  .order_by(ComplianceFlag.due_on.desc(), ComplianceFlag.id.desc())
                                  .limit(per_page + 1)).all()
        more_before, rows = len(rows) > per_page, rows[:per_page][::-1]
        more_after = True
    else:
        if after:
            query = query.where(position > sa.tuple_(*after))
        rows = db.session.execute(query.order_by(ComplianceFlag.due_on, ComplianceFlag.id).limit(per_page + 1)).all()
        more_after, rows = len(rows) > per_page, rows[:per_page]
        more_before = after is not None
    return QueuePage(
        rows=rows, total=total,
        previous_key=_key(rows[0][0]) if rows and more_before else None,
        next_key=_key(rows[-1][0]) if rows and more_after else None,
    )


def queue_counts(today):
    """The work queue's open and chased items by urgency: overdue, due within a week, within 30
    days (each item counted once, at its latest reminder stage)."""
    week, month = today + dt.timedelta(days=7), today + dt.timedelta(days=30)
    due = ComplianceFlag.due_on

    def count(condition, name):
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0).label(name)

    row = db.session.execute(_latest_stage_only(
        sa.select(count(due < today, "overdue"), count(due.between(today, week), "this_week"),
                  count(sa.and_(due > week, due <= month), "next_30_days"))
        .select_from(ComplianceFlag)
        .where(ComplianceFlag.status.in_((FlagStatus.OPEN, FlagStatus.CHASED)), due <= month)
    )).one()._mapping
    return dict(row)


def proposed_count():
    return db.session.scalar(sa.select(sa.func.count()).where(SuspensionProposal.status == ProposalStatus.PROPOSED))


def proposals_by_ids(ids):
    return db.session.execute(
        sa.select(SuspensionProposal, Licence.licence_number, LicenceHolder.holder_ref,
                  LicenceHolder.first_name, LicenceHolder.last_name, LicenceHolder.organisation_name)
        .join(Licence, Licence.id == SuspensionProposal.licence_id)
        .join(LicenceHolder, LicenceHolder.id == SuspensionProposal.holder_id)
        .where(SuspensionProposal.id.in_(ids)).order_by(SuspensionProposal.id)
    ).all()


def flags_by_ids(ids):
    return db.session.scalars(sa.select(ComplianceFlag).where(ComplianceFlag.id.in_(ids))).all()


def proposals(status, page, per_page):
    query = (
        sa.select(SuspensionProposal, Licence.licence_number, LicenceHolder.holder_ref,
                  LicenceHolder.first_name, LicenceHolder.last_name, LicenceHolder.organisation_name)
        .join(Licence, Licence.id == SuspensionProposal.licence_id)
        .join(LicenceHolder, LicenceHolder.id == SuspensionProposal.holder_id)
        .where(SuspensionProposal.status == ProposalStatus(status))
        .order_by(SuspensionProposal.proposed_on, SuspensionProposal.id)
    )
    return _page(query, page, per_page)


def last_job_run(name):
    """The latest run of the job `name`, or None if it has never run."""
    return db.session.execute(sa.select(JobRun).where(JobRun.name == name)
                              .order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(1)).scalar_one_or_none()


def job_runs(page, per_page):
    return _page(sa.select(JobRun).order_by(JobRun.started_at.desc(), JobRun.id.desc()), page, per_page)


def holder_reminders(holder_id, limit=20):
    return db.session.scalars(
        sa.select(OutboundEmail).where(OutboundEmail.holder_id == holder_id)
        .order_by(OutboundEmail.created_at.desc(), OutboundEmail.id.desc()).limit(limit)
    ).all()


def holder_by_ref(ref):
    """The one holder `ref` names (reference, badge, licence or plate number, registration, name)."""
    return find_holder(ref)[0]


def holder_compliance_panel(holder_id, on_date):
    """Context for templates/training/_holder_compliance.html on the holder page."""
    return {"compliance": holder_compliance(holder_id, on_date), "reminders": holder_reminders(holder_id)}


def holder_compliance_section(holder, today, record, present):
    """The holder page's compliance section: what is due, and the reminders sent (from the
    evaluation the page's "fit to work today" summary used, when the page made one)."""
    compliance = record.get("compliance") or holder_compliance(
        holder.id, today, loaded=(holder, record["licences"]), with_training="bookings" in present)
    return {"compliance": compliance, "reminders": holder_reminders(holder.id) if "emails" in present else []}

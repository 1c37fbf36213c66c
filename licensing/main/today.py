"""What each role's home page says needs doing today: set-based counts and short lists, one
statement per panel, read from the same records the work queues and registers show."""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from licensing.extensions import db
from licensing.hearings.access import sits_on_clause
from licensing.models import (
    ActionStatus,
    EmailStatus,
    EnforcementAction,
    Hearing,
    HearingListing,
    HearingStatus,
    JobRun,
    JobRunStatus,
    LicenceApplication,
    OutboundEmail,
    ReviewCase,
    User,
)
from licensing.models.base import utcnow
from licensing.reports import measure
from licensing.reports.periods import Quarter
from licensing.reviews.queries import AWAITING_WORK, work_lists
from licensing.revocations.service import unserved_condition
from licensing.training.queries import proposed_count, queue_counts

WEEK = dt.timedelta(days=7)
MY_CASES_SHOWN = 10
HEARINGS_SHOWN = 5
TREND_QUARTERS = 4


def _count_of(condition, name):
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0).label(name)


def _day_start(day):
    return dt.datetime.combine(day, dt.time())


def officer_today(user, today):
    """The officer's day: their cases overdue and due this week, the compliance queue by
    urgency, proposals to confirm, hearings this week, notices not served and failed e-mails."""
    # The same lists as the reviews work queue, so the counts here agree with it.
    lists = work_lists(user, today)
    mine = lists["mine"]
    due_this_week = ReviewCase.due_on.between(today, today + WEEK)
    cases = db.session.execute(sa.select(
        _count_of(sa.and_(mine, lists["overdue"]), "my_overdue"),
        _count_of(sa.and_(mine, due_this_week), "my_due_this_week"),
        _count_of(mine, "mine"),
        _count_of(lists["unassigned"], "unassigned"),
        _count_of(lists["overdue"], "overdue"),
    ).where(AWAITING_WORK)).one()._mapping
    my_cases = db.session.execute(
        sa.select(ReviewCase).where(AWAITING_WORK, mine, ReviewCase.due_on <= today + WEEK)
        .options(joinedload(ReviewCase.holder)).order_by(ReviewCase.due_on, ReviewCase.id).limit(MY_CASES_SHOWN)
    ).scalars().all()
    emails = dict(db.session.execute(
        sa.select(OutboundEmail.status, sa.func.count())
        .where(OutboundEmail.status.in_((EmailStatus.QUEUED, EmailStatus.FAILED)))
        .group_by(OutboundEmail.status)).all())
    return {
        "cases": dict(cases), "my_cases": my_cases,
        "queue": queue_counts(today),
        "proposed_suspensions": proposed_count(),
        "hearings": upcoming_hearings(today, today + WEEK),
        "unserved_notices": db.session.scalar(
            sa.select(sa.func.count()).select_from(EnforcementAction).where(unserved_condition())),
        "emails_failed": emails.get(EmailStatus.FAILED, 0),
        "emails_waiting": emails.get(EmailStatus.QUEUED, 0),
        "last_scan": last_run("expiry_scan"),
    }


def upcoming_hearings(start, end=None, user=None, limit=HEARINGS_SHOWN):
    """Scheduled hearings from `start` (to `end`, when given), soonest first, with their listings;
    only those `user` sits on, when given."""
    query = (sa.select(Hearing).where(Hearing.status == HearingStatus.SCHEDULED,
                                      Hearing.starts_at >= _day_start(start))
             .options(selectinload(Hearing.listings).joinedload(HearingListing.case).joinedload(ReviewCase.holder))
             .order_by(Hearing.starts_at, Hearing.id).limit(limit))
    if end is not None:
        query = query.where(Hearing.starts_at < _day_start(end + dt.timedelta(days=1)))
    if user is not None:
        query = query.where(sits_on_clause(user.id))
    return db.session.execute(query).scalars().all()


@dataclass
class PanelHearing:
    hearing: Hearing
    listings: list  # not removed, in agenda order
    proposals_to_make: int  # cases still without this member's (or anyone's) proposal


def panel_today(user, today):
    """The hearings this panel member or chair sits on next, with their agenda and bundles."""
    hearings = upcoming_hearings(today, user=user)
    return [PanelHearing(h, [lst for lst in h.listings if not lst.removed],
                         sum(1 for lst in h.listings if not lst.removed and lst.proposed_by_id is None))
            for h in hearings]


def manager_today(today):
    """Measure 3.A4 today and at the end of the last quarters, and this month's key figures."""
    quarters = Quarter.containing(today).previous().trend(TREND_QUARTERS)
    dates = [q.end for q in quarters] + [today]
    figures = measure.evaluate(dates).measures
    month_start = today.replace(day=1)
    applications = db.session.execute(sa.select(
        _count_of(LicenceApplication.received_on >= month_start, "received"),
        _count_of(LicenceApplication.decided_on >= month_start, "decided"),
    ).where(sa.or_(LicenceApplication.received_on >= month_start,
                   LicenceApplication.decided_on >= month_start))).one()._mapping
    return {
        "now": figures[today],
        "trend": [(q, figures[q.end]) for q in quarters],
        "month_start": month_start,
        "applications_received": applications["received"],
        "applications_decided": applications["decided"],
        "actions_taken": db.session.scalar(sa.select(sa.func.count()).select_from(EnforcementAction).where(
            EnforcementAction.decision_date >= month_start, EnforcementAction.status != ActionStatus.CANCELLED)),
        "hearings_held": db.session.scalar(sa.select(sa.func.count()).select_from(Hearing).where(
            Hearing.status == HearingStatus.HELD, Hearing.starts_at >= _day_start(month_start))),
    }


def last_run(name):
    return db.session.execute(sa.select(JobRun).where(JobRun.name == name)
                              .order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(1)).scalar_one_or_none()


def latest_job_runs():
    """The latest run of each job, by job name."""
    latest = (sa.select(JobRun.name, sa.func.max(JobRun.id).label("id")).group_by(JobRun.name).subquery())
    return db.session.execute(sa.select(JobRun).join(latest, latest.c.id == JobRun.id).order_by(JobRun.name)
                              ).scalars().all()


def admin_today(today):
    """Job runs (latest of each, failures this week) and accounts needing attention."""
    now = utcnow()
    accounts = db.session.execute(sa.select(User).where(sa.or_(
        User.totp_confirmed_at.is_(None), User.locked_until > now,
    ), User.is_enabled.is_(True)).order_by(User.name)).scalars().all()
    return {
        "job_runs": latest_job_runs(),
        "failed_this_week": db.session.scalar(sa.select(sa.func.count()).select_from(JobRun).where(
            JobRun.status == JobRunStatus.FAILED, JobRun.started_at >= _day_start(today - WEEK))),
        "no_second_factor": [u for u in accounts if u.totp_confirmed_at is None],
        "locked": [u for u in accounts if u.locked_until is not None and u.locked_until > now],
        "now": now,
    }

"""Training: courses, sessions, bookings and completions. Operations flush, never commit."""

import datetime as dt

import sqlalchemy as sa

from licensing.audit import record, snapshot
from licensing.compliance.due import policy_path
from licensing.errors import DomainError, check_version
from licensing.extensions import db
from licensing.models import (
    Booking,
    BookingStatus,
    CaseOrigin,
    CheckKind,
    CheckResult,
    ComplianceCheck,
    ComplianceFlag,
    Course,
    FlagStatus,
    LicenceHolder,
    ReviewCase,
    TrainingSession,
    flag_cases,
)
from licensing.models.reviews import FINISHED_STATES
from licensing.policy.requirements import add_months, edition_on
from licensing.reviews.operations.cases import open_case
from licensing.text import govuk_date
from licensing.training.reminders import queue_manual_reminders
from licensing.training.suspensions import end_suspensions_if_compliant

# Allowed booking moves; anything else is refused.
BOOKING_TRANSITIONS = {
    BookingStatus.BOOKED: {BookingStatus.COMPLETED, BookingStatus.DID_NOT_ATTEND, BookingStatus.CANCELLED},
    BookingStatus.DID_NOT_ATTEND: {BookingStatus.COMPLETED},
    BookingStatus.COMPLETED: set(),
    BookingStatus.CANCELLED: set(),
}
CHECK_KINDS = {k.value for k in CheckKind}


class TrainingError(DomainError):
    """A training action that cannot be done, with a message for the user."""


def create_course(actor, *, code, title, kind, satisfies, validity_months=None):
    if db.session.scalar(sa.select(Course.id).where(Course.code == code)) is not None:
        raise TrainingError(f"A course with code {code} already exists.")
    course = Course(code=code, title=title, kind=kind, satisfies=satisfies, validity_months=validity_months)
    db.session.add(course)
    record(actor, "training.course_created", course, after=snapshot(course))
    return course


def create_session(actor, *, course, held_on, venue, capacity, trainer):
    if capacity < 1:
        raise TrainingError("Capacity must be at least 1.")
    session = TrainingSession(course=course, held_on=held_on, venue=venue, capacity=capacity, trainer=trainer)
    db.session.add(session)
    record(actor, "training.session_created", session, after=snapshot(session))
    return session


def _lock_session(session_id):
    """Hold the session row until commit so concurrent bookings are counted one at a time."""
    if db.session.get_bind().dialect.name == "sqlite":
        # SQLite has no row locks: a write takes the database write lock before we count.
        db.session.execute(
            sa.update(TrainingSession).where(TrainingSession.id == session_id)
            .values(capacity=TrainingSession.capacity)
            .execution_options(synchronize_session=False)
        )
    return db.session.execute(
        sa.select(TrainingSession).where(TrainingSession.id == session_id).with_for_update()
    ).scalar_one()


def booked_count(session_id):
    return db.session.scalar(
        sa.select(sa.func.count(Booking.id)).where(
            Booking.session_id == session_id, Booking.status != BookingStatus.CANCELLED
        )
    )


def book(actor, session_id, holder_id):
    """Book a holder on a session, refusing when it is full or they are already booked."""
    session = _lock_session(session_id)
    if db.session.get(LicenceHolder, holder_id) is None:
        raise TrainingError("There is no licence holder with that reference.")
    existing = db.session.scalar(
        sa.select(Booking).where(Booking.session_id == session_id, Booking.holder_id == holder_id)
    )
    if existing is not None and existing.status != BookingStatus.CANCELLED:
        raise TrainingError("This holder is already booked on this session.")
    if booked_count(session_id) >= session.capacity:
        raise TrainingError(f"This session is full ({session.capacity} places).")
    if existing is not None:  # re-booking after a cancellation reuses the row
        before = snapshot(existing)
        existing.status = BookingStatus.BOOKED
        record(actor, "training.rebooked", existing, before=before, after=snapshot(existing))
        return existing
    booking = Booking(session_id=session_id, holder_id=holder_id, status=BookingStatus.BOOKED)
    db.session.add(booking)
    record(actor, "training.booked", booking, after=snapshot(booking))
    return booking


def _move(booking, to_status):
    if to_status not in BOOKING_TRANSITIONS[booking.status]:
        raise TrainingError(
            f"A booking that is {booking.status.label.lower()} cannot become {to_status.label.lower()}."
        )
    booking.status = to_status


def cancel_booking(actor, booking, version=None):
    check_version(booking, version, "booking")
    before = snapshot(booking)
    _move(booking, BookingStatus.CANCELLED)
    record(actor, "training.booking_cancelled", booking, before=before, after=snapshot(booking))
    return booking


def record_non_attendance(actor, booking, version=None):
    check_version(booking, version, "booking")
    before = snapshot(booking)
    _move(booking, BookingStatus.DID_NOT_ATTEND)
    record(actor, "training.did_not_attend", booking, before=before, after=snapshot(booking))
    return booking


def complete_booking(actor, booking, *, completed_on, certificate_reference, version=None, today=None):
    """Attendance with a certificate. A course satisfying a check kind also writes that check,
    and a suspension waiting on this requirement ends if the holder is now compliant."""
    check_version(booking, version, "booking")
    if not (certificate_reference or "").strip():
        raise TrainingError("Enter the certificate reference.")
    if completed_on < booking.session.held_on:
        raise TrainingError("The completion date cannot be before the session was held.")
    before = snapshot(booking)
    course = booking.session.course
    booking.completed_on = completed_on
    booking.certificate_reference = certificate_reference.strip()
    booking.expires_on = add_months(completed_on, course.validity_months) if course.validity_months else None
    _move(booking, BookingStatus.COMPLETED)
    if course.satisfies in CHECK_KINDS:
        check = ComplianceCheck(
            holder_id=booking.holder_id, kind=CheckKind(course.satisfies), completed_on=completed_on,
            expires_on=booking.expires_on, result=CheckResult.PASS,
            reference=booking.certificate_reference, recorded_by_id=getattr(actor, "id", None),
            notes=f"Completed training course {course.code}",
        )
        db.session.add(check)
        db.session.flush()
        booking.check_id = check.id
        record(actor, "check.recorded", check, after=snapshot(check))
    record(actor, "training.completed", booking, before=before, after=snapshot(booking))
    end_suspensions_if_compliant(actor, max(completed_on, today or dt.date.today()), holder_ids=[booking.holder_id])
    return booking


def mark_chased(actor, flags, now):
    """Work queue: record that officers chased these items (one audit row each)."""
    if not flags:
        raise TrainingError("Select at least one item.")
    for flag in flags:
        before = {"status": flag.status.value}
        flag.status = FlagStatus.CHASED
        flag.chased_at, flag.chased_by_id = now, actor.id
        record(actor, "compliance_flag.chased", flag, before=before, after={"status": "chased"})
    db.session.flush()
    return len(flags)


def open_cases(actor, flags, today):
    """Work queue: open a review case (origin: compliance) about each selected item, in the
    caller's transaction, unless a case opened from the queue for that item is still open.
    Returns (cases opened, references of the open cases that made others unnecessary)."""
    if not flags:
        raise TrainingError("Select at least one item.")
    ids = sorted({flag.id for flag in flags})
    # Take the rows' write locks first so two officers cannot both open a case for one item.
    db.session.execute(sa.update(ComplianceFlag).where(ComplianceFlag.id.in_(ids))
                       .values(status=ComplianceFlag.status).execution_options(synchronize_session=False))
    locked = db.session.execute(
        sa.select(ComplianceFlag).where(ComplianceFlag.id.in_(ids)).order_by(ComplianceFlag.id).with_for_update()
    ).scalars().all()
    rules = edition_on(today, policy_path()).rules
    opened, already, seen = [], [], set()
    for flag in locked:
        item = (flag.licence_id, flag.requirement, flag.due_on)
        if item in seen:
            continue
        seen.add(item)
        same_item = sa.select(ComplianceFlag.id).where(
            ComplianceFlag.licence_id == flag.licence_id, ComplianceFlag.requirement == flag.requirement,
            ComplianceFlag.due_on == flag.due_on)
        existing = db.session.scalar(
            sa.select(ReviewCase.reference).join(flag_cases, flag_cases.c.case_id == ReviewCase.id)
            .where(flag_cases.c.flag_id.in_(same_item), ReviewCase.state.not_in(FINISHED_STATES))
        )
        if existing:
            already.append(existing)
            continue
        rule = rules.get(flag.requirement)
        label = rule.label if rule else flag.requirement.replace("_", " ").capitalize()
        when = "overdue since" if flag.due_on < today else "due on"
        summary = f"{label} for licence {flag.licence.licence_number} {when} {govuk_date(flag.due_on)}."
        case = open_case(actor, flag.holder, CaseOrigin.COMPLIANCE, summary, licences=[flag.licence], today=today)
        db.session.execute(sa.insert(flag_cases).values(flag_id=flag.id, case_id=case.id))
        record(actor, "compliance_flag.case_opened", flag,
               after={"case_id": case.id, "case_reference": case.reference})
        opened.append(case)
    db.session.flush()
    return opened, already


def remind_now(actor, flags, now):
    """Work queue: queue a reminder for each item now (at most one extra per item per day)."""
    if not flags:
        raise TrainingError("Select at least one item.")
    queued = queue_manual_reminders(flags, now)
    for flag in flags:
        record(actor, "compliance_flag.reminder_requested", flag, after={"due_on": flag.due_on.isoformat()})
    db.session.flush()
    return queued

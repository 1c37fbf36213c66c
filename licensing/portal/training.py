"""Holders book themselves on a training session that satisfies a requirement they owe, while it
has places (counted under the session's lock by the training area's own `book`)."""

import datetime as dt

import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import Booking, BookingStatus, Course, TrainingSession
from licensing.portal.operations import PortalError
from licensing.training.operations import TrainingError, book, booked_count


def courses_for(requirement):
    return db.session.execute(sa.select(Course.id).where(Course.satisfies == requirement)).scalars().all()


def bookable_sessions(requirement, today=None):
    """Upcoming sessions of courses that satisfy `requirement`, with the places left in each."""
    today = today or dt.date.today()
    sessions = db.session.execute(
        sa.select(TrainingSession).join(Course).where(Course.satisfies == requirement,
                                                      TrainingSession.held_on > today)
        .order_by(TrainingSession.held_on, TrainingSession.id).limit(50)
    ).scalars().all()
    return [(session, session.capacity - booked_count(session.id)) for session in sessions]


def book_place(account, requirement, session_id, today=None):
    today = today or dt.date.today()
    session = db.session.get(TrainingSession, session_id)
    if session is None or session.course.satisfies != requirement or session.held_on <= today:
        raise PortalError("Choose one of the sessions listed", field="session_id")
    try:
        return book(None, session.id, account.holder_id)
    except TrainingError as error:
        raise PortalError(error.message.replace("This holder is", "You are"), field="session_id") from error


def holder_bookings(holder_id, today=None):
    today = today or dt.date.today()
    return db.session.execute(
        sa.select(Booking).join(TrainingSession).where(Booking.holder_id == holder_id,
                                                       Booking.status == BookingStatus.BOOKED,
                                                       TrainingSession.held_on >= today)
        .order_by(TrainingSession.held_on)
    ).scalars().all()

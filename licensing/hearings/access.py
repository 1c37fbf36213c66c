"""Who may see what: panel members reach only the hearings they sit on and the cases, holders
and documents listed at them. Officers and managers see everything."""

import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import Hearing, HearingListing, HearingStatus, Role
from licensing.models.hearings import hearing_panel_members

STAFF = frozenset({Role.OFFICER, Role.MANAGER})


def sits_on_clause(user_id):
    member = sa.select(hearing_panel_members.c.hearing_id).where(hearing_panel_members.c.user_id == user_id)
    return sa.or_(Hearing.chair_id == user_id, Hearing.id.in_(member))


def panel_case_ids(user_id):
    """Cases listed (and not removed) on a live hearing the user sits on."""
    return (sa.select(HearingListing.case_id).join(Hearing, Hearing.id == HearingListing.hearing_id)
            .where(sits_on_clause(user_id), HearingListing.removed.is_(False),
                   Hearing.status != HearingStatus.CANCELLED))


def panel_may_view_case(user, case_id):
    if user.role != Role.PANEL:
        return False
    return db.session.execute(sa.select(panel_case_ids(user.id).where(
        HearingListing.case_id == case_id).exists())).scalar()


def can_view_hearing(user, hearing):
    return user.role in STAFF or (user.role == Role.PANEL and hearing.sits_on(user))


def can_view_listing(user, listing):
    if user.role in STAFF:
        return True
    return (user.role == Role.PANEL and not listing.removed and listing.hearing.status != HearingStatus.CANCELLED
            and listing.hearing.sits_on(user))

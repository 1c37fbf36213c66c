"""Scheduling hearings and listing cases at them. Operations flush; the caller commits."""

import datetime as dt

import sqlalchemy as sa

from licensing.audit import record
from licensing.extensions import db
from licensing.hearings.bodies import body_named, members_on
from licensing.hearings.errors import HearingError, check_version
from licensing.hearings.letters import issue_hearing_notice
from licensing.models import (
    CaseState,
    DecidingBody,
    DecisionMode,
    Hearing,
    HearingDecision,
    HearingListing,
    HearingStatus,
    MemberRole,
    Role,
    User,
)
from licensing.policy.hearing_procedure import default_private_paragraph, exempt_paragraphs
from licensing.policy.hearings import policy_on
from licensing.policy.working_days import is_working_day, working_days_between
from licensing.reviews.operations.cases import transition
from licensing.text import govuk_date

H = HearingStatus
HEARING_TRANSITIONS = {
    H.SCHEDULED: {H.HELD, H.ADJOURNED, H.CANCELLED},
    H.ADJOURNED: {H.SCHEDULED, H.CANCELLED},
    H.HELD: set(),
    H.CANCELLED: set(),
}


# A scheduled or adjourned hearing can still change (its agenda, date and status); a held or
# cancelled one is a record.
OPEN = (H.SCHEDULED, H.ADJOURNED)


def is_open(hearing):
    return hearing.status in OPEN


def _panel_users(ids):
    ids = {int(i) for i in ids or ()}
    users = db.session.execute(sa.select(User).where(User.id.in_(ids))).scalars().all() if ids else []
    if len(users) != len(ids) or any(u.role != Role.PANEL or not u.is_enabled for u in users):
        raise HearingError("Panel members must be enabled users with the panel role", field="panel_ids")
    return users


def _body(deciding_body):
    """The body from the form's id, or by its name (scripts and the command line)."""
    text = str(deciding_body or "").strip()
    body = deciding_body if isinstance(deciding_body, DecidingBody) else (
        db.session.get(DecidingBody, int(text)) if text.isdigit() else body_named(text))
    if body is None or not body.active:
        raise HearingError("Choose the deciding body", field="deciding_body_id")
    return body


def _check_members(body, day, chair, panel):
    """When the body's membership is recorded, those sitting must be its members on the day, and a
    single-decision-maker body is chaired by its decision maker."""
    members = {m.user_id: m for m in members_on(body, day)}
    if not body.memberships:
        return
    for user, field in [(chair, "chair_id"), *[(u, "panel_ids") for u in panel]]:
        if user.id not in members:
            raise HearingError(f"{user.name} is not a member of the {body.name} on {govuk_date(day)}", field=field)
    if body.decision_mode == DecisionMode.SINGLE and members[chair.id].role != MemberRole.DECISION_MAKER:
        raise HearingError(f"The {body.name} is chaired by its decision maker", field="chair_id")


def create_hearing(actor, starts_at, venue, deciding_body, chair_id, panel_ids=(), *, date_override_reason=None,
                   legal_adviser=None, today=None):
    """Schedule a hearing before a deciding body. One in the past (history being entered) or on a
    weekend or bank holiday needs a recorded reason."""
    today = today or dt.date.today()
    venue, legal_adviser = (venue or "").strip(), (legal_adviser or "").strip()
    date_override_reason = (date_override_reason or "").strip()
    day = starts_at.date()
    unusual = ("in the past" if day < today else
               "on a weekend or bank holiday" if not is_working_day(day) else None)
    if unusual and not date_override_reason:
        raise HearingError(f"The hearing date is {unusual}. Check the date, or give the reason for it",
                           field="date_override_reason")
    if not venue:
        raise HearingError("Enter the venue", field="venue")
    body = _body(deciding_body)
    chair = _panel_users([chair_id])[0] if chair_id else None
    if chair is None:
        raise HearingError("Choose the decision maker (chair)", field="chair_id")
    panel = [u for u in _panel_users(panel_ids) if u.id != chair.id]
    _check_members(body, day, chair, panel)
    hearing = Hearing(starts_at=starts_at, venue=venue, deciding_body=body.name, deciding_body_id=body.id,
                      chair_id=chair.id, legal_adviser=legal_adviser or None, created_by_id=actor.id,
                      status=H.SCHEDULED)
    hearing.panel = panel
    db.session.add(hearing)
    db.session.flush()
    record(actor, "hearing.created", hearing, after={
        "starts_at": starts_at.isoformat(), "venue": venue, "deciding_body_id": body.id,
        "chair_id": chair.id, "panel_ids": sorted(u.id for u in hearing.panel), "legal_adviser": legal_adviser,
        "date_override": unusual}, reason=date_override_reason if unusual else None)
    return hearing


# Moving a hearing to these states tells each listed holder, and needs a reason the notice gives.
NOTIFIED = {H.ADJOURNED: "adjourned", H.CANCELLED: "cancelled"}


def set_status(actor, hearing, new_status, reason=None, version=None, today=None):
    check_version(hearing, version, "hearing")
    new_status, reason = H(new_status), (reason or "").strip()
    if new_status not in HEARING_TRANSITIONS[hearing.status]:
        allowed = ", ".join(sorted(s.label.lower() for s in HEARING_TRANSITIONS[hearing.status])) or "none"
        raise HearingError(f"A hearing that is {hearing.status.label.lower()} cannot become "
                           f"{new_status.label.lower()}. Allowed: {allowed}.", field="new_status")
    if new_status in NOTIFIED and not reason:
        raise HearingError(f"Give the reason the hearing is {new_status.label.lower()}: the holders' notices "
                           "give it", field="reason")
    before = {"status": hearing.status.value}
    listings = active_listings(hearing)
    if new_status in NOTIFIED:
        for listing in listings:
            issue_hearing_notice(actor, listing, today or dt.date.today(), kind=NOTIFIED[new_status], reason=reason)
    if new_status == H.CANCELLED:
        for listing in listings:
            remove_listing(actor, listing, f"Hearing {hearing.id} cancelled")
    hearing.status = new_status
    hearing.status_reason = reason or None
    db.session.flush()
    record(actor, "hearing.status", hearing, before=before, after={"status": new_status.value,
                                                                    "holders_notified": len(listings)
                                                                    if new_status in NOTIFIED else 0},
           reason=reason or None)
    return hearing


def reschedule(actor, hearing, starts_at, *, reason, venue=None, override_reason=None, today=None, version=None):
    """Give a scheduled or adjourned hearing a new date: it is scheduled again and each listed
    holder is sent a fresh notice of hearing with the new date, inside the notice period only with
    a recorded reason."""
    check_version(hearing, version, "hearing")
    today = today or dt.date.today()
    reason, override_reason = (reason or "").strip(), (override_reason or "").strip()
    if not is_open(hearing):
        raise HearingError("Only a scheduled or adjourned hearing can be given a new date", field="date")
    if not reason:
        raise HearingError("Give the reason for the new date: the holders' notices give it", field="reason")
    if starts_at.date() < today or not is_working_day(starts_at.date()):
        raise HearingError("The new date must be a working day from today on", field="date")
    policy = policy_on(today)
    short = max(0, policy.notice_working_days - notice_days(today, starts_at.date(), policy.notice_counting))
    if short and not override_reason:
        raise HearingError(f"The new date is inside the notice period of {policy.notice_working_days} working days "
                           f"({short} short). Give a reason to hold it anyway.", field="override_reason")
    previous, before = hearing.starts_at, {"starts_at": hearing.starts_at.isoformat(), "status": hearing.status.value}
    hearing.starts_at, hearing.venue = starts_at, (venue or "").strip() or hearing.venue
    hearing.status = H.SCHEDULED
    listings = active_listings(hearing)
    for listing in listings:
        issue_hearing_notice(actor, listing, today, kind="new_date", previous_starts_at=previous, reason=reason)
    db.session.flush()
    record(actor, "hearing.rescheduled", hearing, before=before, after={
        "starts_at": starts_at.isoformat(), "venue": hearing.venue, "holders_notified": len(listings),
        "notice_override": override_reason if short else None}, reason=reason)
    return hearing


def active_listings(hearing):
    return [listing for listing in hearing.listings if not listing.removed]


def notice_days(today, hearing_day, counting="clear"):
    """Working days of notice given on `today` for a hearing on `hearing_day`: clear days (neither
    the day of notice nor the hearing day counts) or, "inclusive", counting the hearing day."""
    days = working_days_between(today, hearing_day)
    if counting == "clear" and hearing_day > today and is_working_day(hearing_day):
        days -= 1
    return days


def notice_shortfall(hearing, today):
    """Working days short of the notice period, or 0 when there is enough notice."""
    policy = policy_on(today)
    return max(0, policy.notice_working_days - notice_days(today, hearing.starts_at.date(), policy.notice_counting))


DEFAULT_PARAGRAPH = object()  # the policy's paragraph for a licence holder's case


def list_case(actor, hearing, case, *, override_reason=None, today=None, private_paragraph=DEFAULT_PARAGRAPH):
    """List a case awaiting decision at a scheduled hearing and issue its notice. Inside the
    notice period only with an override reason, which is recorded. `private_paragraph` is the
    Sch 12A paragraph the public is expected to be excluded under (None: heard in public)."""
    today = today or dt.date.today()
    override_reason = (override_reason or "").strip()
    if hearing.status != H.SCHEDULED:
        raise HearingError("Cases can be listed only at a scheduled hearing", field="hearing_id")
    if case.state != CaseState.AWAITING_DECISION:
        raise HearingError(f"Only a case awaiting decision can be listed; this one is "
                           f"{case.state.label.lower()}", field="case_id")
    if private_paragraph is DEFAULT_PARAGRAPH:
        private_paragraph = default_private_paragraph()
    elif private_paragraph not in (None, "") and int(private_paragraph) not in exempt_paragraphs():
        raise HearingError("Choose a paragraph of Schedule 12A, or that the case is heard in public",
                           field="private_paragraph")
    short = notice_shortfall(hearing, today)
    if short and not override_reason:
        needed = policy_on(today).notice_working_days
        raise HearingError(f"The hearing is inside the notice period of {needed} working days "
                           f"({short} short). Give a reason to list it anyway.", field="override_reason")
    transition(actor, case, CaseState.LISTED_FOR_HEARING, f"Listed for hearing {hearing.id}")
    position = 1 + max((lst.position for lst in active_listings(hearing)), default=0)
    listing = HearingListing(hearing_id=hearing.id, case_id=case.id, position=position, listed_by_id=actor.id,
                             notice_override_reason=override_reason if short else None,
                             private_paragraph=int(private_paragraph) if private_paragraph not in (None, "") else None)
    db.session.add(listing)
    db.session.flush()
    db.session.refresh(hearing, ["listings"])
    record(actor, "hearing.case_listed", listing, after={
        "hearing_id": hearing.id, "case_id": case.id, "position": position,
        "notice_override": bool(short), "private_paragraph": listing.private_paragraph},
        reason=listing.notice_override_reason)
    issue_hearing_notice(actor, listing, today)
    return listing


def _require_open(listing):
    if listing.removed or db.session.execute(
            sa.select(HearingDecision.id).filter_by(listing_id=listing.id).limit(1)).first():
        raise HearingError("This case is no longer on the agenda of that hearing")
    if not is_open(listing.hearing):
        raise HearingError("The agenda of a held or cancelled hearing cannot change")


def remove_listing(actor, listing, reason, version=None):
    check_version(listing, version, "listing")
    _require_open(listing)
    listing.removed = True
    transition(actor, listing.case, CaseState.AWAITING_DECISION, reason or "Removed from hearing")
    db.session.flush()
    record(actor, "hearing.case_removed", listing, before={"removed": False}, after={"removed": True},
           reason=(reason or "").strip() or None)
    return listing


def move_listing(actor, listing, target, *, override_reason=None, today=None, version=None):
    if target.id == listing.hearing_id:
        raise HearingError("Choose a different hearing", field="hearing_id")
    remove_listing(actor, listing, f"Moved to hearing {target.id}", version=version)
    return list_case(actor, target, listing.case, override_reason=override_reason, today=today,
                     private_paragraph=listing.private_paragraph)


def move_in_agenda(actor, listing, direction):
    """Swap the listing with its neighbour; direction is -1 (up) or +1 (down)."""
    _require_open(listing)
    ordered = active_listings(listing.hearing)
    index = ordered.index(listing) + direction
    if not 0 <= index < len(ordered):
        return listing
    other = ordered[index]
    listing.position, other.position = other.position, listing.position
    db.session.flush()
    record(actor, "hearing.agenda_order", listing, after={"position": listing.position})
    return listing

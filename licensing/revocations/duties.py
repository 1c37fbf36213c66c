"""Duties that follow a decision: return of the badge or plate, the national register (NR3S)
entry and its updates after an appeal, follow-up of NR3S search matches, and cross-border
referrals under s.5 of the 2022 Act. Each change is audited and only flushed."""

import datetime as dt

import sqlalchemy as sa

from licensing.audit import record
from licensing.extensions import db
from licensing.models import (
    ActionKind,
    ActionStatus,
    CrossBorderReferral,
    EnforcementAction,
    Nr3sEntry,
    Nr3sRequest,
    User,
)
from licensing.policy.revocations import policy_on
from licensing.policy.working_days import add_working_days, end_of_working_days_beginning_with
from licensing.revocations.errors import RevocationError, check_version
from licensing.text import govuk_date

_iso = dt.date.isoformat
# Decisions that go on the national register when made on safeguarding or road-safety grounds.
NR3S_KINDS = frozenset({ActionKind.REFUSAL, ActionKind.SUSPENSION, ActionKind.REVOCATION})


def _text(value):
    return (value or "").strip()


def _not_future(value, today, field, what):
    if value is None:
        raise RevocationError(f"Enter {what}", field=field)
    if value > today:
        raise RevocationError(f"{what[0].upper()}{what[1:]} must be today or in the past", field=field)


def years_after(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- badge and plate return -----------------------------------------------------------------

def record_return(actor, action, returned_on, *, version=None, today=None):
    today = today or dt.date.today()
    check_version(action, version, "action")
    if action.return_due_on is None:
        raise RevocationError("Nothing is due back for this action")
    if action.returned_on is not None:
        raise RevocationError("The return has already been recorded")
    _not_future(returned_on, today, "returned_on", "the date it was returned")
    action.returned_on = returned_on
    db.session.flush()
    record(actor, "enforcement_action.returned", action, before={"returned_on": None},
           after={"returned_on": _iso(returned_on), "late": returned_on > action.return_due_on})
    return action


def return_overdue(action, day):
    return action.return_due_on is not None and action.returned_on is None and day > action.return_due_on


# --- NR3S entries ---------------------------------------------------------------------------

def nr3s_entry_due_on(decision_date):
    return add_working_days(decision_date, policy_on(decision_date).nr3s_entry_working_days)


def open_nr3s_entry(actor, action):
    """An NR3S entry task for a refusal, suspension or revocation of a driver licence decided on
    safeguarding or road-safety grounds (once per action)."""
    if not action.safeguarding_or_road_safety or action.kind not in NR3S_KINDS:
        return None
    if not action.licence.licence_type.is_driver:
        return None
    existing = db.session.execute(sa.select(Nr3sEntry).filter_by(action_id=action.id)).scalar_one_or_none()
    if existing is not None:
        return existing
    entry = Nr3sEntry(action_id=action.id, holder_id=action.holder_id, licence_id=action.licence_id,
                      due_on=nr3s_entry_due_on(action.decision_date), needs_update=False)
    db.session.add(entry)
    db.session.flush()
    record(actor, "nr3s.entry_due", entry, after={"action_id": action.id, "due_on": _iso(entry.due_on)})
    return entry


def open_missing_nr3s_entries(actor):
    """The daily job's safety net: a task for every qualifying action that has none."""
    missing = db.session.execute(
        sa.select(EnforcementAction).where(
            EnforcementAction.safeguarding_or_road_safety.is_(True),
            ~sa.exists().where(Nr3sEntry.action_id == EnforcementAction.id))
        .order_by(EnforcementAction.id)).scalars().all()
    return sum(1 for action in missing if open_nr3s_entry(actor, action) is not None)


def record_nr3s_entry(actor, entry, *, entered_on, entered_by_id, reference, version=None, today=None):
    today = today or dt.date.today()
    check_version(entry, version, "NR3S entry")
    if entry.entered_on is not None:
        raise RevocationError("The entry has been made; record an update instead")
    _not_future(entered_on, today, "entered_on", "the date the entry was made")
    if entered_on < entry.action.decision_date:
        raise RevocationError("The entry is made on or after the decision date", field="entered_on")
    who = db.session.get(User, entered_by_id) if entered_by_id else None
    if who is None or not who.is_enabled:
        raise RevocationError("Choose who made the entry", field="entered_by_id")
    entry.entered_on, entry.entered_by_id = entered_on, who.id
    entry.nr3s_reference = _text(reference) or None
    # Kept for 11 years (policy data) beginning with the day the entry is first made (s.2(2)(b)).
    years = policy_on(entered_on).nr3s_retention_years
    entry.retain_until = years_after(entered_on, years) - dt.timedelta(days=1)
    db.session.flush()
    record(actor, "nr3s.entered", entry, before={"entered_on": None}, after={
        "entered_on": _iso(entered_on), "entered_by_id": who.id, "retain_until": _iso(entry.retain_until),
        "late": entered_on > entry.due_on})
    return entry


def appeal_changes_nr3s_entry(actor, action, appeal):
    """An entry already made must be kept up to date with the outcome of an appeal."""
    entry = db.session.execute(sa.select(Nr3sEntry).filter_by(action_id=action.id)).scalar_one_or_none()
    if entry is None or entry.entered_on is None:
        return None
    entry.needs_update = True
    entry.update_reason = (f"{appeal.court.label} appeal {appeal.outcome.value} on {govuk_date(appeal.decided_on)}: "
                           f"the action is now {action.status.value}")
    db.session.flush()
    record(actor, "nr3s.update_needed", entry, after={"appeal_id": appeal.id, "reason": entry.update_reason})
    return entry


def record_nr3s_update(actor, entry, *, updated_on, note, version=None, today=None):
    today = today or dt.date.today()
    check_version(entry, version, "NR3S entry")
    if entry.entered_on is None:
        raise RevocationError("Make the entry first")
    _not_future(updated_on, today, "updated_on", "the date of the update")
    if updated_on < entry.entered_on:
        raise RevocationError("The update comes on or after the entry", field="updated_on")
    note = _text(note)
    if not note:
        raise RevocationError("Say what was changed on the register (amended, removed or reinstated)", field="note")
    entry.needs_update, entry.updated_on, entry.updated_by_id, entry.update_note = False, updated_on, actor.id, note
    db.session.flush()
    record(actor, "nr3s.updated", entry, after={"updated_on": _iso(updated_on)}, reason=note)
    return entry


# --- NR3S search matches --------------------------------------------------------------------

def record_nr3s_request(actor, check, *, recording_authority, requested_on, today=None):
    today = today or dt.date.today()
    if not check.can_lead_to_nr3s_request():
        raise RevocationError("A request follows an NR3S search that found a match")
    if db.session.execute(sa.select(Nr3sRequest.id).filter_by(check_id=check.id)).first():
        raise RevocationError("A request has already been recorded for this match")
    authority = _text(recording_authority)
    if not authority:
        raise RevocationError("Enter the recording authority", field="recording_authority")
    _not_future(requested_on, today, "requested_on", "the date of the request")
    if requested_on < check.completed_on:
        raise RevocationError("The request follows the search", field="requested_on")
    holder_id = check.holder_id or (check.licence.holder_id if check.licence else None)
    request = Nr3sRequest(check_id=check.id, holder_id=holder_id, recording_authority=authority,
                          requested_on=requested_on, requested_by_id=actor.id)
    db.session.add(request)
    db.session.flush()
    record(actor, "nr3s.request_sent", request, after={"check_id": check.id, "recording_authority": authority,
                                                        "requested_on": _iso(requested_on)})
    return request


def _record_reply(actor, row, action, *, asked_on, after_what, summary_prompt, reply_on, summary, today):
    """The reply to an NR3S request or a referral: once, dated on or after the day it was asked
    (`asked_on`), not in the future, with a summary; audited as `action`."""
    if row.reply_on is not None:
        raise RevocationError("The reply has already been recorded")
    _not_future(reply_on, today or dt.date.today(), "reply_on", "the date of the reply")
    if reply_on < asked_on:
        raise RevocationError(f"The reply comes after {after_what}", field="reply_on")
    summary = _text(summary)
    if not summary:
        raise RevocationError(summary_prompt, field="summary")
    row.reply_on, row.reply_summary = reply_on, summary
    db.session.flush()
    record(actor, action, row, after={"reply_on": _iso(reply_on)})
    return row


def record_nr3s_reply(actor, request, *, reply_on, summary, version=None, today=None):
    check_version(request, version, "request")
    return _record_reply(actor, request, "nr3s.reply_received", asked_on=request.requested_on,
                         after_what="the request", summary_prompt="Summarise the reply",
                         reply_on=reply_on, summary=summary, today=today)


# --- cross-border referrals (s.5) -----------------------------------------------------------

def referral_due_on(received_on):
    """The last day to send: 10 working days (policy data) beginning with the day of receipt."""
    return end_of_working_days_beginning_with(received_on, policy_on(received_on).referral_working_days)


def create_referral(actor, *, received_on, other_authority, driver_name, information, other_licence_number=None,
                    vehicle_registration=None, today=None):
    today = today or dt.date.today()
    _not_future(received_on, today, "received_on", "the date the information was received")
    other_authority, driver_name, information = _text(other_authority), _text(driver_name), _text(information)
    for value, field, what in ((other_authority, "other_authority", "the authority that licenses the driver"),
                               (driver_name, "driver_name", "the driver's name"),
                               (information, "information", "the information received")):
        if not value:
            raise RevocationError(f"Enter {what}", field=field)
    referral = CrossBorderReferral(
        received_on=received_on, other_authority=other_authority, driver_name=driver_name, information=information,
        other_licence_number=_text(other_licence_number).upper() or None,
        vehicle_registration=_text(vehicle_registration).upper().replace(" ", "") or None,
        due_on=referral_due_on(received_on), recorded_by_id=actor.id)
    db.session.add(referral)
    db.session.flush()
    record(actor, "referral.received", referral, after={
        "received_on": _iso(received_on), "other_authority": other_authority, "due_on": _iso(referral.due_on)})
    return referral


def record_referral_sent(actor, referral, *, sent_on, what_sent, version=None, today=None):
    today = today or dt.date.today()
    check_version(referral, version, "referral")
    if referral.sent_on is not None:
        raise RevocationError("The referral has already been sent")
    _not_future(sent_on, today, "sent_on", "the date it was sent")
    if sent_on < referral.received_on:
        raise RevocationError("It is sent on or after the day the information was received", field="sent_on")
    what_sent = _text(what_sent)
    if not what_sent:
        raise RevocationError("Say what was sent", field="what_sent")
    referral.sent_on, referral.what_sent, referral.sent_by_id = sent_on, what_sent, actor.id
    db.session.flush()
    record(actor, "referral.sent", referral, after={"sent_on": _iso(sent_on), "late": referral.sent_late})
    return referral


def record_referral_reply(actor, referral, *, reply_on, summary, version=None, today=None):
    check_version(referral, version, "referral")
    if referral.sent_on is None:
        raise RevocationError("Record the referral as sent first")
    return _record_reply(actor, referral, "referral.reply_received", asked_on=referral.sent_on,
                         after_what="the referral was sent",
                         summary_prompt="Summarise the other authority's decision",
                         reply_on=reply_on, summary=summary, today=today)


# --- overdue flags (daily job) --------------------------------------------------------------

def flag_overdue(today):
    """Flag, once each, badge and plate returns, NR3S entries and referrals past their deadline."""
    returns = db.session.execute(sa.select(EnforcementAction).where(
        EnforcementAction.return_due_on < today, EnforcementAction.returned_on.is_(None),
        EnforcementAction.return_overdue_flagged_on.is_(None),
        EnforcementAction.status != ActionStatus.CANCELLED).order_by(EnforcementAction.id)).scalars().all()
    for action in returns:
        action.return_overdue_flagged_on = today
        record(None, "enforcement_action.return_overdue", action, after={"return_due_on": _iso(action.return_due_on)})
    entries = db.session.execute(sa.select(Nr3sEntry).where(
        Nr3sEntry.due_on < today, Nr3sEntry.entered_on.is_(None), Nr3sEntry.overdue_flagged_on.is_(None))
        .order_by(Nr3sEntry.id)).scalars().all()
    for entry in entries:
        entry.overdue_flagged_on = today
        record(None, "nr3s.entry_overdue", entry, after={"due_on": _iso(entry.due_on)})
    referrals = db.session.execute(sa.select(CrossBorderReferral).where(
        CrossBorderReferral.due_on < today, CrossBorderReferral.sent_on.is_(None),
        CrossBorderReferral.overdue_flagged_on.is_(None)).order_by(CrossBorderReferral.id)).scalars().all()
    for referral in referrals:
        referral.overdue_flagged_on = today
        record(None, "referral.overdue", referral, after={"due_on": _iso(referral.due_on)})
    db.session.flush()
    return {"returns_overdue": len(returns), "nr3s_overdue": len(entries), "referrals_overdue": len(referrals)}

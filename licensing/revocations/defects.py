"""Suspension of a vehicle licence for a defect found at inspection (s.68 LG(MP)A 1976): an
authorised officer's notice suspends the licence at once until the defect is put right; a licence
not put right within two months of the notice is deemed revoked, and the holder is reminded
before then (periods in the statutory rule table)."""

import calendar
import datetime as dt

import sqlalchemy as sa
from flask import current_app

from licensing.audit import record
from licensing.extensions import db
from licensing.holders.operations.licences import change_status
from licensing.letters.contact import contact_from_config
from licensing.letters.issue import issue_letter
from licensing.letters.vehicle_defect import DefectNotice, build_defect_notice
from licensing.models import ActionKind, ActionOrigin, ActionStatus, EnforcementAction, IssuedLetter, LicenceStatus
from licensing.policy.delegations import delegation_for
from licensing.policy.service import method as service_method_rule
from licensing.policy.statutory import rule_for
from licensing.revocations import state
from licensing.revocations.errors import RevocationError, check_version
from licensing.revocations.events import end_on_event
from licensing.revocations.operations import take_action
from licensing.revocations.queries import actions_for_licences
from licensing.text import govuk_date

DECISION = "vehicle_defect_suspension"
NOTICE_KIND, REMINDER_KIND = "vehicle_defect_notice", "vehicle_defect_reminder"


def add_months(day, months):
    """The same day `months` later (the month's last day where it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def suspend_for_defect(actor, licence, *, inspected_on, defects, service_method="hand", version=None, today=None):
    """Give notice under s.68 after an inspection: the licence is suspended when the notice is given."""
    today = today or dt.date.today()
    check_version(licence, version, "licence")
    defects = (defects or "").strip()
    if not licence.licence_type.is_vehicle:
        raise RevocationError("Section 68 applies to vehicle licences only")
    if licence.status != LicenceStatus.ACTIVE:
        raise RevocationError(f"A licence that is {licence.status.label.lower()} cannot be suspended")
    if inspected_on is None or inspected_on > today:
        raise RevocationError("Enter the date of the inspection, today or earlier", field="inspected_on")
    if not defects:
        raise RevocationError("Describe the defects found at the inspection", field="defects")
    rule = rule_for(licence.licence_type, DECISION, today)
    action = take_action(
        actor, licence, kind=ActionKind.SUSPENSION, origin=ActionOrigin.OFFICER, decision=DECISION,
        decision_date=today, notice_date=today, immediate=True,
        public_safety_reason=f"Vehicle not fit for use found at inspection on {govuk_date(inspected_on)}",
        grounds=defects, authorised_by=actor, service_method=service_method, served=service_method == "hand",
        status_reason="suspension under section 68 for a vehicle defect", status_audit="licence.status")
    action.end_event = "remedy"
    action.remedy_by = add_months(action.served_on, rule.deemed_revocation_months)
    db.session.flush()
    _issue(actor, action, inspected_on, NOTICE_KIND)
    return action


def _notice(action, inspected_on, reminder=False):
    licence, holder = action.licence, action.holder
    rule = rule_for(licence.licence_type, DECISION, action.decision_date)
    return DefectNotice(
        contact=contact_from_config(current_app.config), reference=f"EA-{action.id:06d}",
        holder_name=holder.display_name, holder_address=", ".join(p for p in (holder.address, holder.postcode) if p),
        licence_number=licence.licence_number, registration=licence.vehicle.registration if licence.vehicle else "",
        notice_date=action.notice_date, service_label=service_method_rule(action.service_method).label,
        served_on=action.served_on, inspected_on=inspected_on, defects=action.grounds, power=rule.power,
        remedy_by=action.remedy_by, months=rule.deemed_revocation_months,
        decided_by=action.authorised_by.name_and_post, delegation=delegation_for(DECISION, action.decision_date),
        reminder=reminder)


def _issue(actor, action, inspected_on, kind):
    reminder = kind == REMINDER_KIND
    return issue_letter(actor, kind, build_defect_notice(_notice(action, inspected_on, reminder)),
                        holder=action.holder, action=action, issued_by=action.authorised_by,
                        filename=f"{'defect-reminder' if reminder else 'defect-notice'}-EA-{action.id:06d}.pdf")


def _open(action):
    return (action.statutory_decision == DECISION and action.kind == ActionKind.SUSPENSION
            and action.status != ActionStatus.CANCELLED and action.ended_on is None)


def record_remedy(actor, action, *, remedied_on, note, version=None, today=None):
    """The officer is satisfied the defects are put right: the suspension ends and the licence is
    in force again, unless something else holds it."""
    today = today or dt.date.today()
    check_version(action, version, "action")
    note = (note or "").strip()
    if not _open(action):
        raise RevocationError("This is not a section 68 suspension waiting for its defects to be put right")
    if remedied_on is None or remedied_on > today or remedied_on < action.decision_date:
        raise RevocationError("Enter the day the defects were found put right, between the notice and today",
                              field="remedied_on")
    if remedied_on > action.remedy_by:
        raise RevocationError(f"The licence was deemed revoked after {govuk_date(action.remedy_by)}",
                              field="remedied_on")
    if not note:
        raise RevocationError("Say how the officer was satisfied (for example, the re-inspection)", field="note")
    action.remedied_on = remedied_on
    end_on_event(actor, action, remedied_on, f"Defects put right: {note}")
    licence = action.licence
    others = actions_for_licences([licence.id]).get(licence.id, [])
    revoked, suspended = state.claims(others, today)
    if licence.status == LicenceStatus.SUSPENDED and not (revoked or suspended):
        change_status(actor, licence, state.restored_status(licence.expires_on, today),
                      f"Defects put right ({note}); section 68 suspension ended", today,
                      audit_action="licence.reinstated", details={"action_id": action.id})
    db.session.flush()
    return action


def _waiting(today_condition):
    return sa.select(EnforcementAction).where(
        EnforcementAction.decision == DECISION, EnforcementAction.kind == ActionKind.SUSPENSION,
        EnforcementAction.status == ActionStatus.EFFECTIVE, EnforcementAction.ended_on.is_(None),
        EnforcementAction.remedied_on.is_(None), today_condition).order_by(EnforcementAction.id)


def deem_revocations(actor, today):
    """Licences not put right by their remedy date are deemed revoked the next day. Idempotent."""
    count = 0
    for action in db.session.execute(_waiting(EnforcementAction.remedy_by < today)).scalars():
        before = {"kind": action.kind.value, "suspension_to": None}
        action.kind = ActionKind.REVOCATION
        record(actor, "enforcement_action.deemed_revoked", action, before=before,
               after={"kind": action.kind.value, "remedy_by": action.remedy_by.isoformat()},
               reason="Defects not put right within the period of section 68")
        licence = action.licence
        if licence.status in (LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED):
            change_status(actor, licence, LicenceStatus.REVOKED,
                          f"Deemed revoked under section 68: defects not put right by {govuk_date(action.remedy_by)}",
                          today, audit_action="licence.revoked", details={"action_id": action.id})
        count += 1
    db.session.flush()
    return count


def send_reminders(actor, today):
    """Remind each holder, once, the set number of days before the licence would be deemed revoked."""
    sent = 0
    for action in db.session.execute(_waiting(EnforcementAction.remedy_by >= today)).scalars():
        rule = rule_for(action.licence.licence_type, DECISION, action.decision_date)
        if action.remedy_by - dt.timedelta(days=rule.reminder_days_before) > today:
            continue
        already = db.session.scalar(sa.select(sa.func.count()).select_from(IssuedLetter).where(
            IssuedLetter.action_id == action.id, IssuedLetter.kind == REMINDER_KIND))
        if not already:
            _issue(actor, action, action.decision_date, REMINDER_KIND)
            sent += 1
    return sent

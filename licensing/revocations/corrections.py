"""Corrected dates of an enforcement action: a hearing decision corrected with a new decision or
notice date re-runs the effect rule on the action, so that the action says what the corrected
letter says (deemed service, appeal deadline, effective date and a suspension's window)."""

from licensing.audit import record
from licensing.extensions import db
from licensing.models import ActionKind, ActionStatus
from licensing.policy.service import deemed_served_on
from licensing.revocations import effects
from licensing.revocations.errors import RevocationError
from licensing.revocations.operations import _facts, _iso, _rule
from licensing.text import govuk_date


def _dates(action):
    return {"decision_date": _iso(action.decision_date), "notice_date": _iso(action.notice_date),
            "served_on": _iso(action.served_on), "effective_date": _iso(action.effective_date),
            "suspension_from": _iso(action.suspension_from), "suspension_to": _iso(action.suspension_to),
            "status": action.status.value}


def _new_effective_date(action, rule, *, decision_date, notice_date, served_on):
    """The effective date the rule gives for the new dates, including the action's appeals (None
    while an in-time appeal holds it)."""
    planned = effects.notice_dates(rule, decision_date=decision_date, notice_date=notice_date,
                                   service_method=action.service_method or "hand", immediate=action.immediate)
    effective_on = planned.effective_on or planned.served_on  # a warning is given when served
    if not action.appeals:
        return effective_on
    appeals = [_facts(a) for a in action.appeals]
    effect = effects.resolve(decision_date, served_on, immediate=action.immediate, appeals=appeals,
                             stay=effects.stays(rule))
    if effect.cancelled_on is not None:
        raise RevocationError("An appeal has cancelled this action; its dates cannot be corrected",
                              field="notice_date")
    if effect.held:
        return None
    unappealed = effects.resolve(decision_date, served_on, immediate=action.immediate, stay=effects.stays(rule))
    return effect.effective_on if effect.effective_on != unappealed.effective_on else effective_on


def redate_action(actor, action, *, decision_date, notice_date, reason, today=None):  # noqa: ARG001
    """Give the action the decision and notice dates of a corrected decision: its deemed service
    date, its effective date (with its appeals) and, for a suspension, its window moved by the same
    number of days. Refused for a cancelled action, and for one in effect whose effective date would
    move (a warning excepted: it changes nothing on the licence). One audit row, before and after."""
    reason = (reason or "").strip()
    if not reason:
        raise RevocationError("Give the reason the action's dates are corrected", field="notice_date")
    if action.status == ActionStatus.CANCELLED:
        raise RevocationError("This action has been cancelled; its dates cannot be corrected", field="notice_date")
    notice_date = notice_date or decision_date
    served_on = deemed_served_on(action.service_method or "hand", notice_date)
    rule = _rule(action.licence, action.statutory_decision, decision_date)
    effective_on = _new_effective_date(action, rule, decision_date=decision_date, notice_date=notice_date,
                                       served_on=served_on)
    if action.status == ActionStatus.EFFECTIVE and action.kind != ActionKind.WARNING \
            and effective_on != action.effective_date:
        raise RevocationError("This action has already taken effect (on "
                              f"{govuk_date(action.effective_date)}); a correction cannot move its effective date. "
                              "Keep the notice date, or record a new decision.", field="notice_date")
    before = _dates(action)
    if action.kind == ActionKind.SUSPENSION and action.effective_date and effective_on:
        shift = effective_on - action.effective_date
        action.suspension_from = action.suspension_from + shift if action.suspension_from else None
        action.suspension_to = action.suspension_to + shift if action.suspension_to else None
    action.decision_date, action.notice_date, action.served_on = decision_date, notice_date, served_on
    action.effective_date = effective_on
    for appeal in action.appeals:
        if appeal.parent_id is None:  # a first appeal runs from service of the notice
            appeal.notice_on = served_on
    db.session.flush()
    record(actor, "enforcement_action.redated", action, before=before, after=_dates(action), reason=reason)
    return action

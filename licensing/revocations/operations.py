"""Enforcement actions: taken, taking effect, suspensions ending, and appeals driving actions.

`take_action` is the one way an action comes into being. Every change writes its audit row in
the caller's transaction and only flushes. Licence statuses change only through
`licensing.holders.operations.licences.change_status`, to the status that
`licensing.revocations.state` computes, so the daily job, the register and the holder page agree.
"""

import datetime as dt

import sqlalchemy as sa

from licensing.audit import record
from licensing.extensions import db
from licensing.holders.operations.licences import change_status
from licensing.models import (
    DEFAULT_DECISION,
    ActionKind,
    ActionOrigin,
    ActionStatus,
    Appeal,
    AppealCourt,
    AppealHearing,
    AppealOutcome,
    CostsDirection,
    EnforcementAction,
    Licence,
    LicenceStatus,
    VariedKind,
)
from licensing.policy.service import deemed_served_on
from licensing.policy.service import method as service_rule
from licensing.policy.statutory import NoRule, rule_for
from licensing.revocations import effects, state
from licensing.revocations.duties import appeal_changes_nr3s_entry, open_nr3s_entry
from licensing.revocations.errors import RevocationError, check_version
from licensing.revocations.queries import actions_for_licences, suspended_until_compliant
from licensing.text import govuk_date

# Immediate effect in the interests of public safety (s.61(2B)) applies to these only.
IMMEDIATE_KINDS = frozenset({ActionKind.SUSPENSION, ActionKind.REVOCATION})
RETURN_KINDS = frozenset({ActionKind.SUSPENSION, ActionKind.REVOCATION})


def _iso(value):
    return value.isoformat() if value else None


def _today(today):
    return today or dt.date.today()


# --- actions taken ---------------------------------------------------------------------------

def immediate_effect_applies(licence, kind, day):
    """Whether an action of `kind` with immediate effect on `day` moves the licence: suspension of
    an active licence, revocation of an active or suspended one."""
    kind = ActionKind(kind)
    return kind in IMMEDIATE_KINDS and \
        state.status_on_taking_effect(licence.status, licence.expires_on, kind, day) != licence.status


def _new_action(actor, licence, *, kind, origin, case, decision_date, notice_date, effective_date, immediate,
                status, grounds, authorised_by_id, public_safety_reason=None, suspension_to=None,
                interim_pending_hearing=False, police_information=False, safeguarding_or_road_safety=False):
    action = EnforcementAction(
        kind=kind, origin=origin, licence_id=licence.id, holder_id=licence.holder_id,
        case_id=case.id if case else None, decision_date=decision_date, notice_date=notice_date,
        effective_date=effective_date, immediate=immediate, public_safety_reason=public_safety_reason or None,
        interim_pending_hearing=bool(interim_pending_hearing), police_information=bool(police_information),
        suspension_from=effective_date if kind == ActionKind.SUSPENSION else None, suspension_to=suspension_to,
        grounds=grounds, authorised_by_id=authorised_by_id, recorded_by_id=actor.id, status=status,
        safeguarding_or_road_safety=bool(safeguarding_or_road_safety))
    db.session.add(action)
    db.session.flush()
    return action


def take_action(actor, licence, *, kind, origin, decision_date, grounds, authorised_by, case=None,
                notice_date=None, immediate=False, public_safety_reason=None, suspension_to=None,
                interim_pending_hearing=False, police_information=False, safeguarding_or_road_safety=False,
                status_reason=None, status_audit=None, decision=None, application=None, service_method=None,
                served=False, taken_on=None):
    """Record a decision to refuse, warn, suspend or revoke (a hearing's or an officer's), audited.

    It takes effect on the day `effects` gives. With immediate effect the licence moves at once,
    to the status `state` computes (`status_reason` and `status_audit` name that change); an
    action in effect starts the badge or plate return; a qualifying one opens its NR3S task."""
    kind, origin = ActionKind(kind), ActionOrigin(origin)
    notice_date = notice_date or decision_date
    rule = _rule(licence, decision or DEFAULT_DECISION[kind], decision_date)
    if immediate and not rule.immediate_available:
        raise RevocationError(f"Immediate effect is not available for a {rule.decision.replace('_', ' ')} of a "
                              f"{licence.licence_type.label.lower()} licence", field="immediate")
    if immediate and not immediate_effect_applies(licence, kind, decision_date):
        raise RevocationError(f"A licence that is {licence.status.label.lower()} cannot be given an immediate "
                              f"{kind.label.lower()}", field="immediate")
    check_consent(licence, service_method)
    # Without a method the notice is handed over with the decision (and so served at once).
    served = served or service_method is None
    dates = effects.notice_dates(rule, decision_date=decision_date, notice_date=notice_date,
                                 service_method=service_method or "hand", immediate=bool(immediate))
    effective_on = dates.effective_on or dates.served_on  # a warning is given when served
    in_effect_now = served and effective_on <= dt.date.today()
    target = state.status_on_taking_effect(licence.status, licence.expires_on, kind, effective_on,
                                           suspension_to) if immediate and in_effect_now else licence.status
    action = _new_action(
        actor, licence, kind=kind, origin=origin, case=case, decision_date=decision_date, notice_date=notice_date,
        effective_date=effective_on, immediate=bool(immediate), public_safety_reason=public_safety_reason,
        status=ActionStatus.EFFECTIVE if (immediate and in_effect_now) or kind == ActionKind.WARNING
        else ActionStatus.PENDING,
        suspension_to=suspension_to if kind == ActionKind.SUSPENSION else None, grounds=grounds,
        authorised_by_id=authorised_by.id, interim_pending_hearing=interim_pending_hearing,
        police_information=police_information, safeguarding_or_road_safety=safeguarding_or_road_safety)
    _record_service_plan(actor, action, decision=rule.decision, application=application,
                         service_method=service_method or "hand", served=served, taken_on=taken_on)
    record(actor, "enforcement_action.taken", action, after={
        "kind": kind.value, "origin": origin.value, "licence_id": licence.id, "immediate": action.immediate,
        "case_id": action.case_id, "effective_date": _iso(action.effective_date),
        "authorised_by_id": action.authorised_by_id, "police_information": action.police_information,
        "interim_pending_hearing": action.interim_pending_hearing, "recorded_later_on": _iso(action.taken_on)})
    if target != licence.status:
        change_status(actor, licence, target, f"{status_reason or f'Immediate {kind.value}'}, action {action.id}",
                      effective_on, audit_action=status_audit)
    if action.status == ActionStatus.EFFECTIVE:
        _set_return_due(action)
    open_nr3s_entry(actor, action)
    return action


def check_consent(licence, service_method):
    """E-mail is good service only where the holder has agreed to it (policy data `needs_consent`)."""
    if service_method and service_rule(service_method).needs_consent and \
            not (licence.holder.email_service_consent_on and licence.holder.email):
        raise RevocationError("The holder has not agreed to be served notices by e-mail: give the notice by hand "
                              "or by post", field="service_method")


def _rule(licence, decision, day):
    try:
        return rule_for(licence.licence_type, decision, day)
    except NoRule:
        raise RevocationError(f"A {decision.replace('_', ' ')} is not available for a "
                              f"{licence.licence_type.label.lower()} licence") from None


def _record_service_plan(actor, action, *, decision, application, service_method, served, taken_on):
    """The statutory decision, the application it decides, how its notice is served (the deemed
    service date follows from the method) and, when `served`, that service is recorded now."""
    action.decision = decision or action.statutory_decision
    action.application_id = application.id if application is not None else None
    action.service_method = service_method
    action.served_on = (deemed_served_on(service_method, action.notice_date) if service_method
                        else action.notice_date)
    action.taken_on = taken_on
    if served:
        action.service_recorded_on, action.service_recorded_by_id = dt.date.today(), actor.id


def record_past_action(actor, licence, *, kind, case, decision_date, immediate, grounds, public_safety_reason=None,
                       suspension_to=None):
    """An action brought across from the council's past records, as it was: in effect, decided at a
    hearing on `decision_date` and notified the same day. Nothing follows from it: the licence keeps
    its register status and no duty is opened."""
    kind = ActionKind(kind)
    action = _new_action(
        actor, licence, kind=kind, origin=ActionOrigin.HEARING, case=case, decision_date=decision_date,
        notice_date=decision_date, effective_date=effects.effective_date(decision_date, decision_date,
                                                                         immediate=immediate),
        immediate=immediate, status=ActionStatus.EFFECTIVE, grounds=grounds, authorised_by_id=actor.id,
        public_safety_reason=public_safety_reason, suspension_to=suspension_to)
    action.decision = action.statutory_decision
    action.served_on = action.service_recorded_on = decision_date
    return action


# --- actions taking effect and ending -------------------------------------------------------

def _rule_or_none(licence_type, decision, day):
    try:
        return rule_for(licence_type, decision, day)
    except NoRule:
        return None


def return_item(licence, decision="revocation", on=None):
    """What the return tracker follows for `decision` about `licence`: the rule table's tracked
    return, a driver's badge or a vehicle's plate (None for operators, whose licence document is
    asked for in the letter but not tracked)."""
    rule = _rule_or_none(licence.licence_type, decision, on)
    return rule.tracked_return if rule else None


def _set_return_due(action):
    """The badge or plate return the rule table asks for: due `return_days` after effect."""
    if action.kind not in RETURN_KINDS or not action.effective_date or action.return_due_on is not None:
        return
    rule = _rule_or_none(action.licence.licence_type, action.statutory_decision, action.decision_date)
    if rule is None or rule.tracked_return is None or rule.return_days is None:
        return
    action.return_due_on = effects.badge_return_due(action.effective_date, rule.return_days)


def due_licence_ids(today):
    """Licences with an action the daily job must apply on `today`: pending ones whose effective
    date has come, and effective suspensions that may have ended."""
    pending = sa.select(EnforcementAction.licence_id).where(
        EnforcementAction.status == ActionStatus.PENDING, EnforcementAction.effective_date <= today,
        EnforcementAction.service_recorded_on.is_not(None))
    ending = sa.select(EnforcementAction.licence_id).where(
        EnforcementAction.status == ActionStatus.EFFECTIVE, EnforcementAction.kind == ActionKind.SUSPENSION,
        EnforcementAction.ended_on.is_(None), EnforcementAction.suspension_to.is_not(None))
    return sorted(set(db.session.execute(pending.union(ending)).scalars()))


def apply_due(actor, today, licence_ids=None):
    """Apply what is due on `today` for the given licences (default: every licence with something
    due): pending actions take effect, suspensions that have run their course end, and each
    licence moves to the status `state.expected_licence_status` gives. Idempotent."""
    licence_ids = due_licence_ids(today) if licence_ids is None else list(licence_ids)
    counts = {"actions_effective": 0, "suspensions_ended": 0, "licences_changed": 0}
    if not licence_ids:
        return counts
    grouped = actions_for_licences(licence_ids)
    held = suspended_until_compliant(licence_ids)
    licences = {lic.id: lic for lic in db.session.execute(
        sa.select(Licence).where(Licence.id.in_(licence_ids)).with_for_update()).scalars()}
    for licence_id in licence_ids:
        actions, licence = grouped.get(licence_id, []), licences.get(licence_id)
        if licence is None:
            continue
        target = state.expected_licence_status(licence.status, licence.expires_on, actions, today,
                                               suspended_elsewhere=licence_id in held)
        due = [a for a in actions if state.is_due(a, today)]
        for action in due:
            if action.status == ActionStatus.PENDING:
                _take_effect(actor, action, licence)
                counts["actions_effective"] += 1
            if state.action_state(action, today) == state.ENDED and action.ended_on is None:
                _end_suspension(actor, action)
                counts["suspensions_ended"] += 1
        if target != licence.status:
            refs = ", ".join(f"action {a.id}" for a in due)
            change_status(actor, licence, target, f"Enforcement taking effect or ending on {govuk_date(today)} "
                          f"({refs})", today, audit_action=f"licence.{target.value}",
                          details={"actions": [a.id for a in due]})
            counts["licences_changed"] += 1
    db.session.flush()
    return counts


def _take_effect(actor, action, licence):
    before = {"status": action.status.value, "suspension_from": _iso(action.suspension_from),
              "suspension_to": _iso(action.suspension_to)}
    if action.kind == ActionKind.SUSPENSION:
        action.suspension_from, action.suspension_to = state.window(action)
    action.status = ActionStatus.EFFECTIVE
    _set_return_due(action)
    record(actor, "enforcement_action.effective", action, before=before, after={
        "status": "effective", "effective_date": _iso(action.effective_date),
        "suspension_from": _iso(action.suspension_from), "suspension_to": _iso(action.suspension_to),
        "return_due_on": _iso(action.return_due_on), "licence_status": licence.status.value})


def _end_suspension(actor, action):
    action.ended_on = action.suspension_to + dt.timedelta(days=1)
    record(actor, "enforcement_action.suspension_ended", action, before={"ended_on": None},
           after={"ended_on": _iso(action.ended_on)})


# --- appeals --------------------------------------------------------------------------------

def _facts(appeal):
    return effects.AppealFacts(lodged_on=appeal.lodged_on, outcome=appeal.outcome.value if appeal.outcome else None,
                               decided_on=appeal.decided_on, further=appeal.parent_id is not None)


def appeal_is_late(appeal):
    return not effects.lodged_in_time(appeal.notice_on, appeal.lodged_on)


def _not_appealable(action):
    """Why `EnforcementAction.can_be_appealed` says no."""
    if action.status == ActionStatus.CANCELLED:
        return "This action has been cancelled; there is nothing to appeal"
    if action.kind == ActionKind.WARNING:
        return "A warning carries no right of appeal to the court"
    return "An appeal against this action is already waiting for the court"


def _check_further_appeal(parent):
    if parent.outcome is None:
        raise RevocationError("A further appeal follows a decided appeal; record its outcome first")
    if parent.court == AppealCourt.CROWN_COURT:
        raise RevocationError("This appeal was decided by the Crown Court: no further appeal is recorded in "
                              "this register")
    if not parent.can_be_appealed_further():
        raise RevocationError("A further appeal to the Crown Court follows a magistrates' court decision "
                              "that dismissed or varied the appeal")


def _first_appeal_court(licence, action):
    """The court a first appeal against `action` goes to, from the rule table; refused when the
    decision carries no right of appeal (a warning, a s.68 notice)."""
    rule = _rule_or_none(licence.licence_type, action.statutory_decision, action.decision_date)
    if rule is None or not rule.appealable:
        what = action.statutory_decision.replace("_", " ")
        raise RevocationError(f"There is no right of appeal to a court against a {what} of a "
                              f"{licence.licence_type.label.lower()} licence")
    return AppealCourt.CROWN_COURT if rule.appeal_court == "crown" else AppealCourt.MAGISTRATES


def lodge_appeal(actor, licence, *, subject, lodged_on, notice_on=None, action=None, parent=None, grounds=None,
                 court_reference=None, today=None):
    """Record an appeal lodged with the court. Against an action its notice date is the action's
    and a first appeal goes to the court the rule table names for its decision (the Crown Court for
    a refused new hackney carriage vehicle licence, PHAA 1890 s.7); a further appeal goes from the
    magistrates' court to the Crown Court and runs from the date the first appeal was decided. An
    appeal against no action (a licence condition) goes to the magistrates' court."""
    today = _today(today)
    court = AppealCourt.MAGISTRATES
    subject = (subject or "").strip()
    if lodged_on is None or lodged_on > today:
        raise RevocationError("The date lodged must be today or in the past", field="lodged_on")
    if parent is not None:
        _check_further_appeal(parent)
        court = AppealCourt.CROWN_COURT
        action, licence, notice_on = parent.action, parent.licence, parent.decided_on
        subject = subject or parent.subject
    if action is not None:
        if action.licence_id != licence.id:
            raise RevocationError("The appeal must be about the action's licence")
        if parent is None and not action.can_be_appealed():
            raise RevocationError(_not_appealable(action))
        if parent is None:
            court = _first_appeal_court(licence, action)
        notice_on = notice_on or action.served_on or action.notice_date or action.decision_date
        subject = subject or f"{action.kind.label} of licence {licence.licence_number}"
        if lodged_on < action.decision_date:
            raise RevocationError("An appeal is lodged on or after the decision date", field="lodged_on")
    if notice_on is None:
        raise RevocationError("Enter the date of the notice of the decision", field="notice_on")
    if not subject:
        raise RevocationError("Say what decision is appealed against", field="subject")
    if lodged_on < notice_on and parent is not None:
        raise RevocationError("A further appeal is lodged after the first appeal's decision", field="lodged_on")
    appeal = Appeal(licence_id=licence.id, holder_id=licence.holder_id, action_id=action.id if action else None,
                    parent_id=parent.id if parent else None,
                    court=court,
                    subject=subject, grounds=(grounds or "").strip() or None, notice_on=notice_on,
                    lodged_on=lodged_on, court_reference=(court_reference or "").strip() or None,
                    costs_direction=CostsDirection.NONE, costs_pence=0, recorded_by_id=actor.id)
    db.session.add(appeal)
    db.session.flush()
    record(actor, "appeal.lodged", appeal, after={
        "court": appeal.court.value, "lodged_on": _iso(lodged_on), "notice_on": _iso(notice_on),
        "late": appeal_is_late(appeal), "action_id": appeal.action_id, "parent_id": appeal.parent_id})
    if action is not None:
        db.session.refresh(action, ["appeals"])
        _reresolve(actor, action, today)
    return appeal


def add_appeal_hearing(actor, appeal, hearing_on, purpose):
    purpose = (purpose or "").strip()
    if hearing_on is None:
        raise RevocationError("Enter the hearing date", field="hearing_on")
    if hearing_on < appeal.lodged_on:
        raise RevocationError("A court hearing comes after the appeal was lodged", field="hearing_on")
    if not purpose:
        raise RevocationError("Say what the hearing is for", field="purpose")
    hearing = AppealHearing(appeal_id=appeal.id, hearing_on=hearing_on, purpose=purpose, recorded_by_id=actor.id)
    db.session.add(hearing)
    db.session.flush()
    record(actor, "appeal.hearing_listed", hearing, after={"appeal_id": appeal.id, "hearing_on": _iso(hearing_on),
                                                            "purpose": purpose})
    return hearing


def record_appeal_outcome(actor, appeal, *, outcome, decided_on, notes=None, varied_kind=None,
                          varied_suspension_to=None, costs_direction=CostsDirection.NONE, costs_pence=0,
                          version=None, today=None):
    """The court's decision: dismissed, withdrawn or abandoned -> the action takes effect (or stays);
    allowed -> it is cancelled and the licence restored; varied -> the new terms apply."""
    today = _today(today)
    check_version(appeal, version, "appeal")
    if appeal.outcome is not None:
        raise RevocationError("The outcome of this appeal has been recorded")
    outcome, costs_direction = AppealOutcome(outcome), CostsDirection(costs_direction or CostsDirection.NONE)
    if decided_on is None or decided_on > today:
        raise RevocationError("The date of the outcome must be today or in the past", field="decided_on")
    if decided_on < appeal.lodged_on:
        raise RevocationError("The outcome comes on or after the day the appeal was lodged", field="decided_on")
    costs_pence = int(costs_pence or 0)
    if costs_pence < 0:
        raise RevocationError("Costs cannot be negative", field="costs")
    if (costs_pence > 0) != (costs_direction != CostsDirection.NONE):
        raise RevocationError("Give both who was awarded costs and the amount, or neither", field="costs")
    action = appeal.action
    if outcome == AppealOutcome.VARIED:
        _check_variation(action, varied_kind, varied_suspension_to, decided_on)
    appeal.outcome, appeal.decided_on = outcome, decided_on
    appeal.outcome_notes = (notes or "").strip() or None
    appeal.costs_direction, appeal.costs_pence = costs_direction, costs_pence
    if outcome == AppealOutcome.VARIED and varied_kind:
        appeal.varied_kind = VariedKind(varied_kind)
        appeal.varied_suspension_to = varied_suspension_to if appeal.varied_kind == VariedKind.SUSPENSION else None
    db.session.flush()
    record(actor, "appeal.decided", appeal, before={"outcome": None}, after={
        "outcome": outcome.value, "decided_on": _iso(decided_on), "costs_direction": costs_direction.value,
        "costs_pence": costs_pence, "varied_kind": appeal.varied_kind.value if appeal.varied_kind else None,
        "varied_suspension_to": _iso(appeal.varied_suspension_to)}, reason=appeal.outcome_notes)
    if action is not None:
        db.session.refresh(action, ["appeals"])
        _reresolve(actor, action, today, decided=appeal)
        appeal_changes_nr3s_entry(actor, action, appeal)
    return appeal


def _check_variation(action, varied_kind, varied_suspension_to, decided_on):
    if action is None or action.kind not in (ActionKind.SUSPENSION, ActionKind.REVOCATION):
        raise RevocationError("Only a suspension or revocation can be varied; record a refusal or a condition "
                              "as dismissed or allowed and note the court's terms", field="outcome")
    if not varied_kind:
        raise RevocationError("Choose what the court substituted", field="varied_kind")
    if VariedKind(varied_kind) == VariedKind.SUSPENSION and (varied_suspension_to is None
                                                            or varied_suspension_to < decided_on):
        raise RevocationError("Give the last day of the suspension the court set, on or after the decision",
                              field="varied_suspension_to")


def _reresolve(actor, action, today, decided=None):
    """Store what the effective-date rule now says for the action, then move its licence."""
    rule = _rule(action.licence, action.statutory_decision, action.decision_date)
    effect = effects.resolve(action.decision_date, action.served_on or action.notice_date, immediate=action.immediate,
                             appeals=[_facts(a) for a in action.appeals], stay=effects.stays(rule))
    before = {"status": action.status.value, "effective_date": _iso(action.effective_date), "kind": action.kind.value,
              "suspension_from": _iso(action.suspension_from), "suspension_to": _iso(action.suspension_to)}
    was_effective = action.status == ActionStatus.EFFECTIVE
    if effect.cancelled_on is not None:
        action.status, action.cancelled_on = ActionStatus.CANCELLED, effect.cancelled_on
        action.return_due_on = None if action.returned_on is None else action.return_due_on
    elif effect.held:
        action.status, action.effective_date, action.return_due_on = ActionStatus.PENDING, None, None
    else:
        if action.status == ActionStatus.PENDING:
            action.effective_date = effect.effective_on
        if decided is not None and decided.outcome == AppealOutcome.VARIED:
            _apply_variation(action, decided)
    after = {"status": action.status.value, "effective_date": _iso(action.effective_date), "kind": action.kind.value,
             "suspension_from": _iso(action.suspension_from), "suspension_to": _iso(action.suspension_to),
             "cancelled_on": _iso(action.cancelled_on)}
    if after != {**before, "cancelled_on": None}:
        record(actor, "enforcement_action.appeal_effect", action, before=before, after=after,
               reason=f"Appeal {decided.id} {decided.outcome.value}" if decided else "Appeal lodged")
    db.session.flush()
    licence = db.session.get(Licence, action.licence_id)
    if was_effective:
        _move_licence_after_appeal(actor, licence, today, decided)
    apply_due(actor, today, [licence.id])


def _apply_variation(action, appeal):
    kind = ActionKind(appeal.varied_kind.value)
    if action.effective_date is None:
        action.effective_date = appeal.decided_on
    if kind == ActionKind.SUSPENSION:
        start = action.effective_date if action.status == ActionStatus.EFFECTIVE else appeal.decided_on
        action.suspension_from, action.suspension_to, action.ended_on = start, appeal.varied_suspension_to, None
    else:
        action.suspension_from = action.suspension_to = None
    if kind == ActionKind.WARNING:
        action.return_due_on = None if action.returned_on is None else action.return_due_on
    action.kind = kind


def _move_licence_after_appeal(actor, licence, today, appeal):
    if licence.status not in (LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED, LicenceStatus.REVOKED):
        return
    actions = actions_for_licences([licence.id]).get(licence.id, [])
    target = state.appeal_target(licence.status, licence.expires_on, actions, today,
                                 suspended_elsewhere=bool(suspended_until_compliant([licence.id])))
    if target != licence.status:
        what = f"appeal {appeal.id} {appeal.outcome.value}" if appeal else "appeal lodged in time"
        change_status(actor, licence, target, f"Court decision: {what}", today,
                      audit_action="licence.restored_on_appeal" if target != LicenceStatus.REVOKED
                      else f"licence.{target.value}", details={"appeal_id": appeal.id if appeal else None},
                      on_appeal=True)

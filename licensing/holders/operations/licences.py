"""Licences: the status rules, applications, decisions, renewal, surrender and expiry.

`ALLOWED_TRANSITIONS` is the one table of status moves. Other modules change a licence's
status only through `change_status`, which enforces the table and writes the audit row.
"""

import datetime as dt

import sqlalchemy as sa

from licensing.audit import insert_audit_rows, record, snapshot
from licensing.errors import check_version
from licensing.extensions import db
from licensing.holders.checks import missing_for_decision
from licensing.holders.errors import NotReadyError, RegisterError
from licensing.models import (
    ActionStatus,
    Appeal,
    ApplicationKind,
    ApplicationOrigin,
    ApplicationOutcome,
    AuditEvent,
    DecisionCapacity,
    EnforcementAction,
    HolderKind,
    Licence,
    LicenceApplication,
    LicenceStatus,
    LicenceType,
    RecordedApplicationDecision,
)
from licensing.policy.register import age_on, rules_on
from licensing.policy.statutory import has_rule, rule_for
from licensing.sqldates import SqlDates
from licensing.text import govuk_date

ALLOWED_TRANSITIONS = {
    LicenceStatus.APPLIED: frozenset({LicenceStatus.ACTIVE, LicenceStatus.REFUSED}),
    LicenceStatus.ACTIVE: frozenset({LicenceStatus.SUSPENDED, LicenceStatus.REVOKED, LicenceStatus.EXPIRED,
                                     LicenceStatus.SURRENDERED}),
    LicenceStatus.SUSPENDED: frozenset({LicenceStatus.ACTIVE, LicenceStatus.REVOKED, LicenceStatus.EXPIRED,
                                        LicenceStatus.SURRENDERED}),
    LicenceStatus.REFUSED: frozenset(),
    LicenceStatus.REVOKED: frozenset(),
    LicenceStatus.EXPIRED: frozenset(),
    LicenceStatus.SURRENDERED: frozenset(),
}
# Moves out of `applied` are decisions on an application: only `decide_application` makes them.
DECISION_MOVES = frozenset({(LicenceStatus.APPLIED, LicenceStatus.ACTIVE),
                            (LicenceStatus.APPLIED, LicenceStatus.REFUSED)})
# Final for every other purpose, a revoked licence comes back when a court allows or varies an
# appeal against the revocation (`change_status(..., on_appeal=True)`).
APPEAL_MOVES = frozenset({(LicenceStatus.REVOKED, LicenceStatus.ACTIVE),
                          (LicenceStatus.REVOKED, LicenceStatus.SUSPENDED),
                          (LicenceStatus.REVOKED, LicenceStatus.EXPIRED)})

OUTCOME_TRANSITIONS = {
    ApplicationOutcome.PENDING: frozenset({ApplicationOutcome.GRANTED, ApplicationOutcome.REFUSED,
                                           ApplicationOutcome.DEFERRED}),
    ApplicationOutcome.DEFERRED: frozenset({ApplicationOutcome.GRANTED, ApplicationOutcome.REFUSED}),
    ApplicationOutcome.GRANTED: frozenset(),
    ApplicationOutcome.REFUSED: frozenset(),
}
OPERATOR_LINKABLE = frozenset(
    {LicenceType.PRIVATE_HIRE_DRIVER, LicenceType.DUAL_DRIVER, LicenceType.PRIVATE_HIRE_VEHICLE}
)


def allowed_moves(licence, on_appeal=False):
    moves = set(ALLOWED_TRANSITIONS[licence.status])
    if on_appeal:
        moves |= {to for start, to in APPEAL_MOVES if start == licence.status}
    return sorted(moves, key=lambda s: list(LicenceStatus).index(s))


def _require_allowed(licence, new_status, on_appeal=False):
    if new_status not in allowed_moves(licence, on_appeal):
        allowed = ", ".join(s.label.lower() for s in allowed_moves(licence)) or "none: this is a final status"
        raise RegisterError(
            f"A licence that is {licence.status.label.lower()} cannot become {new_status.label.lower()}. "
            f"Allowed next statuses: {allowed}.",
            field="new_status",
        )


def _move(actor, licence, new_status, reason, action, before=None, after=None, on_appeal=False):
    new_status = LicenceStatus(new_status)
    old = licence.status
    _require_allowed(licence, new_status, on_appeal)
    licence.status = new_status
    record(actor, action, licence, before={"status": old.value, **(before or {})},
           after={"status": new_status.value, **(after or {})}, reason=reason)


def change_status(actor, licence, new_status, reason, on_date=None, *, audit_action=None, details=None,
                  on_appeal=False):
    """Move `licence` to `new_status` if the transition table allows it; audited (as `audit_action`,
    with `details` added to the after-image, when the caller has a more specific name for it).
    `on_appeal` allows the moves out of *revoked* that only a court's appeal decision makes."""
    new_status = LicenceStatus(new_status)
    reason = (reason or "").strip()
    if (licence.status, new_status) in DECISION_MOVES:
        raise RegisterError("Grant or refuse a licence by deciding its application.", field="new_status")
    _require_allowed(licence, new_status, on_appeal)
    if not reason:
        raise RegisterError("Enter the reason for the change", field="reason")
    on_date = on_date or dt.date.today()
    if new_status == LicenceStatus.EXPIRED and (licence.expires_on is None or licence.expires_on >= on_date):
        until = govuk_date(licence.expires_on) if licence.expires_on else "no expiry date"
        raise RegisterError(
            f"This licence runs until {until}; it can be marked expired only after that date.", field="new_status"
        )
    _move(actor, licence, new_status, reason, audit_action or f"licence.{new_status.value}", after=details,
          on_appeal=on_appeal)


HELD_PENDING_APPEAL = "licence.held_pending_appeal"


def _refusal_appeal_deadline(on_date, served_on):
    """The last day to appeal a refused renewal, as SQL over the refusal's service date: served_on
    plus the appeal days of the `refuse_renewal` rule for the licence's type (in force on
    `on_date`), or None for types the s.77(2) stay does not cover (no CASE branch: NULL)."""
    by_days = {}
    for licence_type in LicenceType:
        if not has_rule(licence_type, "refuse_renewal", on_date):
            continue
        rule = rule_for(licence_type, "refuse_renewal", on_date)
        if rule.appealable and rule.stay_pending_appeal:
            by_days.setdefault(rule.appeal_days, []).append(licence_type)
    if not by_days:
        return None
    dates = SqlDates(db.session.get_bind().dialect.name)
    return sa.case(*((Licence.licence_type.in_(types), dates.add_days(served_on, days))
                     for days, types in sorted(by_days.items())), else_=sa.null())


def held_pending_appeal_clause(on_date):
    """SQL: the licence's renewal was refused and s.77(2) keeps it in force on `on_date`: the
    appeal period is still running, or a first appeal lodged within it has no outcome yet
    (reading taken: the refusal has no effect until the appeal is determined or abandoned)."""
    served_on = sa.func.coalesce(EnforcementAction.served_on, EnforcementAction.notice_date,
                                 EnforcementAction.decision_date)
    deadline = _refusal_appeal_deadline(on_date, served_on)
    if deadline is None:
        return sa.false()
    today = SqlDates(db.session.get_bind().dialect.name).date(on_date)
    undecided_appeal = sa.exists().where(
        Appeal.action_id == EnforcementAction.id, Appeal.parent_id.is_(None), Appeal.outcome.is_(None),
        Appeal.lodged_on <= deadline)
    return sa.exists().where(
        EnforcementAction.licence_id == Licence.id, EnforcementAction.decision == "refuse_renewal",
        EnforcementAction.status != ActionStatus.CANCELLED,
        sa.or_(today <= deadline, undecided_appeal))


def expire_overdue_licences(actor, on_date):
    """Mark expired every active or suspended licence whose expiry date has passed, except one
    whose renewal was refused while s.77(2) holds it in force pending appeal (audited once per
    licence as `licence.held_pending_appeal`; the next run after the appeal is disposed of, or
    the period passes without one, expires it). Returns the count expired."""
    overdue = sa.and_(Licence.status.in_([LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED]),
                      Licence.expires_on < on_date)
    held = held_pending_appeal_clause(on_date)
    expiring = db.session.execute(sa.select(Licence).where(overdue, ~held)).scalars().all()
    for licence in expiring:
        reason = f"Expiry date {govuk_date(licence.expires_on)} passed"
        change_status(actor, licence, LicenceStatus.EXPIRED, reason, on_date)
    _audit_new_holds(actor, on_date, overdue, held)
    return len(expiring)


def _audit_new_holds(actor, on_date, overdue, held):
    already = sa.exists().where(AuditEvent.action == HELD_PENDING_APPEAL, AuditEvent.entity_type == "licences",
                                AuditEvent.entity_id == Licence.id)
    rows = db.session.execute(
        sa.select(Licence.id, Licence.holder_id, Licence.expires_on).where(overdue, held, ~already)
        .order_by(Licence.id)).all()
    insert_audit_rows([
        {"actor_id": getattr(actor, "id", None), "action": HELD_PENDING_APPEAL, "entity_type": "licences",
         "entity_id": row.id, "holder_id": row.holder_id, "before": None,
         "after": {"expires_on": row.expires_on.isoformat(), "held_on": on_date.isoformat()},
         "reason": f"Expiry date {govuk_date(row.expires_on)} passed, but the refusal to renew has no effect "
                   "while the appeal period runs or an appeal lodged in time is undecided (s.77(2) LG(MP)A 1976)"}
        for row in rows])


def _not_in_future(value, field, what, today):
    if value > today:
        raise RegisterError(f"{what} must be today or in the past", field=field)


def _normalise_number(value):
    return (value or "").strip().upper()


def apply_for_licence(actor, holder, *, licence_type, licence_number, received_on, vehicle=None,
                      operator_licence_number=None, badge_number=None, conditions=None, today=None,
                      origin=ApplicationOrigin.OFFICE, api_client=None, reason=None):
    """Record a new licence application: a licence in `applied` and its pending application. One
    sent by the council's portal (`origin` portal, `api_client` the portal) has no officer as actor."""
    today = today or dt.date.today()
    licence_type = LicenceType(licence_type)
    licence_number = _normalise_number(licence_number)
    badge_number = _normalise_number(badge_number) or None
    _not_in_future(received_on, "received_on", "The date received", today)
    if not licence_number:
        raise RegisterError("Enter the licence number", field="licence_number")
    if db.session.scalar(sa.select(Licence.id).where(sa.func.upper(Licence.licence_number) == licence_number)):
        raise RegisterError(f"Licence number {licence_number} is already in use", field="licence_number")
    if licence_type.is_driver:
        _check_driver_eligible(holder, received_on)
    elif badge_number:
        raise RegisterError("Only driver licences have a badge number", field="badge_number")
    if badge_number and db.session.scalar(sa.select(Licence.id).where(Licence.badge_number == badge_number)):
        raise RegisterError(f"Badge number {badge_number} is already in use", field="badge_number")
    _check_vehicle(holder, licence_type, vehicle)
    operator = _operator_licence(licence_type, operator_licence_number)
    licence = Licence(
        licence_number=licence_number, holder=holder, licence_type=licence_type, status=LicenceStatus.APPLIED,
        vehicle=vehicle, operator_licence=operator, badge_number=badge_number,
        conditions=(conditions or "").strip() or None,
    )
    db.session.add(licence)
    record(actor, "licence.apply", licence, after=snapshot(licence), reason=reason)
    application = LicenceApplication(
        licence=licence, kind=ApplicationKind.NEW, received_on=received_on,
        received_by_id=getattr(actor, "id", None),  # none: received online
        origin=ApplicationOrigin(origin), api_client_id=getattr(api_client, "id", None),
    )
    db.session.add(application)
    record(actor, "licence_application.receive", application, holder_id=holder.id, after=snapshot(application),
           reason=reason)
    return licence


def _check_driver_eligible(holder, received_on):
    if holder.kind != HolderKind.PERSON:
        raise RegisterError("Only a person can hold a driver licence", field="licence_type")
    if holder.date_of_birth is None:
        raise RegisterError("Record the holder's date of birth before a driver application", field="licence_type")
    minimum = rules_on(received_on).driver_minimum_age_years
    age = age_on(holder.date_of_birth, received_on)
    if age < minimum:
        raise RegisterError(
            f"A driver must be at least {minimum}: this applicant was {age} on {govuk_date(received_on)}",
            field="licence_type",
        )


def _check_vehicle(holder, licence_type, vehicle):
    if not licence_type.is_vehicle:
        if vehicle is not None:
            raise RegisterError("Only a vehicle licence can name a vehicle", field="vehicle_id")
        return
    if vehicle is None:
        raise RegisterError("Choose the vehicle this licence is for", field="vehicle_id")
    if vehicle.proprietor_id != holder.id:
        raise RegisterError("The vehicle must belong to this licence holder", field="vehicle_id")
    live = db.session.scalar(
        sa.select(Licence.licence_number).where(
            Licence.vehicle_id == vehicle.id,
            Licence.status.in_([LicenceStatus.APPLIED, LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED]),
        )
    )
    if live:
        raise RegisterError(f"This vehicle already has licence {live}", field="vehicle_id")


def _operator_licence(licence_type, number):
    number = _normalise_number(number)
    if not number:
        return None
    if licence_type not in OPERATOR_LINKABLE:
        raise RegisterError(
            "Only private hire driver and vehicle licences can be linked to an operator",
            field="operator_licence_number",
        )
    operator = db.session.execute(
        sa.select(Licence).where(sa.func.upper(Licence.licence_number) == number)
    ).scalar_one_or_none()
    if operator is None or operator.licence_type != LicenceType.PRIVATE_HIRE_OPERATOR:
        raise RegisterError(f"{number} is not a private hire operator licence", field="operator_licence_number")
    if operator.status != LicenceStatus.ACTIVE:
        raise RegisterError(
            f"Operator licence {number} is {operator.status.label.lower()}, not active",
            field="operator_licence_number",
        )
    return operator


def pending_application(licence):
    return db.session.execute(
        sa.select(LicenceApplication)
        .where(
            LicenceApplication.licence_id == licence.id,
            LicenceApplication.outcome.in_([ApplicationOutcome.PENDING, ApplicationOutcome.DEFERRED]),
        )
        .order_by(LicenceApplication.id.desc())
    ).scalars().first()


def record_renewal(actor, licence, *, received_on, version, today=None, origin=ApplicationOrigin.OFFICE):
    """Record a renewal application for an active (or suspended) licence."""
    today = today or dt.date.today()
    check_version(licence, version, "licence")
    _not_in_future(received_on, "received_on", "The date received", today)
    if licence.status not in (LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED):
        raise RegisterError(
            f"Only an active or suspended licence can be renewed; this one is {licence.status.label.lower()}. "
            "Record a new application instead.",
            field="received_on",
        )
    if pending_application(licence) is not None:
        raise RegisterError("This licence already has an application waiting for a decision", field="received_on")
    application = LicenceApplication(
        licence=licence, kind=ApplicationKind.RENEWAL, received_on=received_on,
        received_by_id=getattr(actor, "id", None), origin=ApplicationOrigin(origin),
    )
    db.session.add(application)
    record(actor, "licence_application.receive", application, holder_id=licence.holder_id,
           after=snapshot(application))
    return application


def decide_application(actor, application, *, outcome, capacity, decided_on, reasons, version,
                       expires_on=None, today=None, decided_by=None):
    """Grant, refuse or defer an application, recording who decided, in what capacity and why."""
    today = today or dt.date.today()
    licence = application.licence
    check_version(licence, version, "licence")
    outcome, capacity = ApplicationOutcome(outcome), DecisionCapacity(capacity)
    if outcome not in OUTCOME_TRANSITIONS[application.outcome]:
        raise RegisterError(
            f"An application that is {application.outcome.label.lower()} cannot be {outcome.label.lower()}",
            field="outcome",
        )
    _not_in_future(decided_on, "decided_on", "The decision date", today)
    if decided_on < application.received_on:
        raise RegisterError(
            f"The decision date cannot be before the application was received ({govuk_date(application.received_on)})",
            field="decided_on",
        )
    reasons = (reasons or "").strip()
    if not reasons:
        raise RegisterError("Enter the reasons for the decision", field="reasons")
    before = snapshot(application)
    decider_id, recorder_id = (decided_by or actor).id, actor.id  # read before the row changes (autoflush)
    if outcome == ApplicationOutcome.GRANTED:
        _grant(actor, application, licence, decided_on, expires_on, reasons)
    elif outcome == ApplicationOutcome.REFUSED and application.kind == ApplicationKind.NEW:
        _move(actor, licence, LicenceStatus.REFUSED, reasons, "licence.refuse")
    application.outcome = outcome
    application.capacity = capacity
    application.decided_by_id = decider_id
    application.decided_on = decided_on
    application.reasons = reasons
    db.session.add(RecordedApplicationDecision(
        application_id=application.id, outcome=outcome.value, capacity=capacity.value, decided_on=decided_on,
        decided_by_id=decider_id, recorded_by_id=recorder_id, reasons=reasons))
    after = snapshot(application)
    record(actor, f"licence_application.{outcome.value}", application, holder_id=licence.holder_id,
           before=before, after=after, reason=reasons)
    return application


def _grant(actor, application, licence, decided_on, expires_on, reasons):
    missing = missing_for_decision(licence, decided_on)
    if missing:
        raise NotReadyError(missing, field="outcome")
    if expires_on is None:
        raise RegisterError("Enter the expiry date of the licence", field="expires_on")
    if application.kind == ApplicationKind.NEW:
        if expires_on <= decided_on:
            raise RegisterError("The expiry date must be after the decision date", field="expires_on")
        licence.issued_on, licence.expires_on = decided_on, expires_on
        _move(actor, licence, LicenceStatus.ACTIVE, reasons, "licence.grant",
              after={"issued_on": decided_on.isoformat(), "expires_on": expires_on.isoformat()})
    else:
        if licence.status not in (LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED):
            raise RegisterError(
                f"This licence is {licence.status.label.lower()} and can no longer be renewed", field="outcome"
            )
        current = licence.expires_on
        if current is not None and expires_on <= current:
            raise RegisterError(
                f"The new expiry date must be after the current one ({govuk_date(current)})", field="expires_on"
            )
        before = {"expires_on": current.isoformat() if current else None}
        licence.expires_on = expires_on
        record(actor, "licence.renew", licence, before=before, after={"expires_on": expires_on.isoformat()},
               reason=reasons)

"""Changes made through outside services: the outbox's requeue and delivery receipts, and lookups
whose answers become checks with their source. Each lookup writes a ServiceLookup row and an audit
row, whatever the service answered, so the trail shows every question put to DVLA, DVSA or DBS."""

import datetime as dt

import sqlalchemy as sa

from licensing.audit import record, snapshot
from licensing.errors import DomainError
from licensing.extensions import db
from licensing.holders.operations.holders import record_check
from licensing.integrations import dbs, dvla, mot
from licensing.integrations.answers import NotConfigured
from licensing.integrations.notify import DELIVERED, FAILED
from licensing.models import (
    CheckKind,
    CheckResult,
    ComplianceCheck,
    DbsConsent,
    EmailStatus,
    Licence,
    LookupOutcome,
    LookupService,
    OutboundEmail,
    ServiceLookup,
)
from licensing.models.base import utcnow
from licensing.policy.lookups import next_dbs_check, rules_on


class LookupRefused(DomainError):
    """A lookup that cannot be made (off, no consent, a bad registration)."""


NOT_CONFIGURED = "{service} is not connected on this system. Record the check by hand instead."
SOURCES = {
    LookupService.MOT_HISTORY: "DVSA MOT history",
    LookupService.DBS_UPDATE: "DBS Update Service",
    LookupService.DVLA_DRIVER_CHECK: "DVLA check code (read by the officer)",
}


# Outbox ----------------------------------------------------------------------------------------

def requeue(actor, reason, message_ids=None, now=None):
    """Put failed messages back in the queue with their attempts reset (all failed ones unless
    `message_ids` names some). Returns how many were requeued; each is audited."""
    now = now or utcnow()
    query = sa.select(OutboundEmail).where(OutboundEmail.status == EmailStatus.FAILED).order_by(OutboundEmail.id)
    if message_ids is not None:
        query = query.where(OutboundEmail.id.in_(list(message_ids)))
    messages = db.session.scalars(query).all()
    for message in messages:
        before = {"status": message.status.value, "attempts": message.attempts, "last_error": message.last_error}
        message.status, message.attempts, message.next_attempt_at = EmailStatus.QUEUED, 0, now
        message.delivery_status = None
        record(actor, "outbox.requeue", message, holder_id=message.holder_id, before=before,
               after={"status": "queued", "attempts": 0}, reason=reason)
    db.session.flush()
    return len(messages)


def apply_receipt(notification_id, status, now=None):
    """A Notify delivery receipt: the message's delivery status, and failed if Notify gave up.
    Returns the message, or None for a receipt about no message of ours."""
    message = db.session.scalars(
        sa.select(OutboundEmail).where(OutboundEmail.provider_ref == notification_id)).first()
    if message is None:
        return None
    if message.delivery_status == status:
        return message  # Notify may send a receipt more than once
    before = {"status": message.status.value, "delivery_status": message.delivery_status}
    message.delivery_status = status
    if status in DELIVERED:
        message.delivered_at = now or utcnow()
    elif status in FAILED:
        message.status, message.last_error = EmailStatus.FAILED, f"Notify {status}"
    record(None, "outbox.delivery_receipt", message, holder_id=message.holder_id, before=before,
           after={"status": message.status.value, "delivery_status": status})
    return message


# Lookups ---------------------------------------------------------------------------------------

def _lookup(actor, service, query_ref, answer, holder=None, vehicle=None):
    lookup = ServiceLookup(service=service, holder_id=holder.id if holder else None,
                           vehicle_id=vehicle.id if vehicle else None, query_ref=query_ref[:40],
                           outcome=LookupOutcome(answer.outcome), result=answer.result or None,
                           requested_by_id=getattr(actor, "id", None), requested_at=utcnow())
    db.session.add(lookup)
    db.session.flush()
    record(actor, f"lookup.{service.value}", lookup, holder_id=lookup.holder_id,
           after={"outcome": answer.outcome, "reason": answer.reason or None, "query": query_ref[:40]})
    return lookup


def _ask(service, ask):
    try:
        return ask()
    except NotConfigured:
        raise LookupRefused(NOT_CONFIGURED.format(service=service.label)) from None


def vehicle_enquiry(actor, config, registration, holder=None, vehicle=None):
    """Ask DVLA about a registration (for a new vehicle, or one on the register)."""
    registration = dvla.normalise_registration(registration)
    if not 2 <= len(registration) <= 8:
        raise LookupRefused("Enter a registration such as AB12 CDE", field="registration")
    answer = _ask(LookupService.DVLA_VEHICLE, lambda: dvla.vehicle_enquiry(config, registration))
    return _lookup(actor, LookupService.DVLA_VEHICLE, registration, answer, holder=holder or (
        vehicle.proprietor if vehicle else None), vehicle=vehicle)


def _vehicle_licence(vehicle):
    return db.session.scalars(sa.select(Licence).where(Licence.vehicle_id == vehicle.id)
                              .order_by(Licence.id.desc())).first()


def mot_history(actor, config, vehicle, today=None):
    """Ask DVSA for the vehicle's MOT history; a found history with a test becomes an MOT check
    on the vehicle's licence. Returns the lookup."""
    today = today or dt.date.today()
    answer = _ask(LookupService.MOT_HISTORY, lambda: mot.mot_history(config, vehicle.registration))
    lookup = _lookup(actor, LookupService.MOT_HISTORY, vehicle.registration, answer, holder=vehicle.proprietor,
                     vehicle=vehicle)
    licence = _vehicle_licence(vehicle)
    tests = (answer.result or {}).get("tests") or []
    if answer.found and tests and licence is not None:
        latest = tests[0]
        expires = dt.date.fromisoformat(answer.result["expires"]) if answer.result.get("expires") else None
        completed = dt.date.fromisoformat(latest["completed"])
        passed = latest["result"] == "PASSED" and expires is not None and expires >= today
        defects = "; ".join(f"{d['type'].lower() if d['type'] else 'defect'}: {d['text']}"
                            for d in latest["defects"])
        record_check(actor, licence.holder, {
            "kind": CheckKind.MOT.value, "result": (CheckResult.PASS if passed else CheckResult.FAIL).value,
            "licence_id": licence.id, "completed_on": min(completed, today),
            "expires_on": expires if expires and expires >= completed else None,
            "reference": latest.get("number"), "notes": defects[:2000] or None,
            "source": SOURCES[LookupService.MOT_HISTORY], "lookup_id": lookup.id,
        }, today=today)
    return lookup


def record_dbs_consent(actor, holder, data, today=None):
    today = today or dt.date.today()
    number = "".join(ch for ch in (data.get("certificate_number") or "") if ch.isdigit())
    if len(number) != 12:
        raise LookupRefused("Enter the 12-digit DBS certificate number", field="certificate_number")
    given = data["consent_given_on"]
    if given > today:
        raise LookupRefused("The date consent was given must be today or in the past", field="consent_given_on")
    if holder.date_of_birth is None or not holder.last_name:
        raise LookupRefused("Record the holder's surname and date of birth first", field="certificate_number")
    for old in _live_consents(holder):
        old.withdrawn_on = today
    consent = DbsConsent(holder_id=holder.id, certificate_number=number, consent_given_on=given,
                         recorded_by_id=actor.id, next_check_on=today)
    db.session.add(consent)
    db.session.flush()
    record(actor, "dbs_consent.record", consent, holder_id=holder.id, after=snapshot(consent))
    return consent


def _live_consents(holder):
    return db.session.scalars(sa.select(DbsConsent).where(
        DbsConsent.holder_id == holder.id, DbsConsent.withdrawn_on.is_(None))).all()


def withdraw_dbs_consent(actor, consent, today=None):
    consent.withdrawn_on = today or dt.date.today()
    record(actor, "dbs_consent.withdraw", consent, holder_id=consent.holder_id,
           after={"withdrawn_on": consent.withdrawn_on.isoformat()})
    return consent


DBS_RESULTS = {"BLANK_NO_NEW_INFO": CheckResult.CLEAR, "NON_BLANK_NO_NEW_INFO": CheckResult.INFORMATION_DISCLOSED,
               "NEW_INFO": CheckResult.PENDING}  # new information: not met until a new certificate is seen


def dbs_status_check(actor, config, consent, today=None):
    """Check the certificate on the DBS Update Service under the holder's consent; a status becomes
    a DBS update service check (by the scheduler when `actor` is None). Returns the lookup."""
    today = today or dt.date.today()
    if consent.withdrawn_on is not None:
        raise LookupRefused("The holder has withdrawn consent to DBS Update Service checks")
    holder = consent.holder
    answer = _ask(LookupService.DBS_UPDATE, lambda: dbs.status_check(
        config, consent.certificate_number, holder.last_name, holder.date_of_birth))
    lookup = _lookup(actor, LookupService.DBS_UPDATE, consent.certificate_number, answer, holder=holder)
    if answer.found:
        status = answer.result["status"]
        check = ComplianceCheck(
            holder_id=holder.id, kind=CheckKind.DBS_UPDATE_SERVICE, completed_on=today, result=DBS_RESULTS[status],
            reference=consent.certificate_number, notes=dbs.STATUS_TEXT[status],
            recorded_by_id=getattr(actor, "id", None), source=SOURCES[LookupService.DBS_UPDATE], lookup_id=lookup.id)
        db.session.add(check)
        record(actor, "check.record", check, after=snapshot(check))
        consent.next_check_on = next_dbs_check(today)
    elif answer.outcome != "unavailable":
        consent.next_check_on = next_dbs_check(today)  # no match: the officer follows it up; no retry tomorrow
    return lookup


def record_driver_check(actor, holder, data, today=None):
    """The DVLA driving licence check the officer made with the holder's check code: the code, date,
    points and entitlements read off the DVLA page, as a DVLA check whose source says so."""
    today = today or dt.date.today()
    code = "".join((data.get("check_code") or "").split())  # DVLA's codes are case-sensitive
    if len(code) != 8 or not code.isalnum():
        raise LookupRefused("Enter the check code as the holder gave it, such as Kd 7h Xw 2p", field="check_code")
    checked_on = data["checked_on"]
    valid_days = rules_on(checked_on).dvla_check_code_valid_days
    entitlements = (data.get("entitlements") or "").strip()
    lookup = _lookup(actor, LookupService.DVLA_DRIVER_CHECK, code, _Read(
        {"points": data.get("points"), "entitlements": entitlements, "checked_on": checked_on.isoformat()}),
        holder=holder)
    notes = f"Entitlements: {entitlements}" if entitlements else None
    return record_check(actor, holder, {
        "kind": CheckKind.DVLA.value, "result": (data.get("result") or CheckResult.PASS.value),
        "completed_on": checked_on, "reference": code, "points": data.get("points"), "notes": notes,
        "source": f"{SOURCES[LookupService.DVLA_DRIVER_CHECK]}; a code lasts {valid_days} days",
        "lookup_id": lookup.id,
    }, today=today)


class _Read:
    """What the officer read off the DVLA page, in a lookup's shape."""

    outcome, reason = "found", ""

    def __init__(self, result):
        self.result = result

    @property
    def found(self):
        return True


"""The one decision step for an application, whoever decides it: an officer under delegated
powers or a hearing. It closes the application, caps the licence term, records a refusal as an
enforcement action (so its appeal and national-register duty follow) and issues the notice."""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from licensing.errors import DomainError
from licensing.extensions import db
from licensing.holders.operations import licences
from licensing.letters.application_decision import ApplicationNotice, build_application_notice
from licensing.letters.contact import contact_from_config
from licensing.letters.issue import issue_letter
from licensing.models import (
    ActionOrigin,
    ApplicationKind,
    ApplicationOutcome,
    CheckKind,
    ComplianceCheck,
    DecisionCapacity,
    OnlineApplication,
    Payment,
    PaymentStatus,
)
from licensing.policy.delegations import delegation_for
from licensing.policy.fees import schedule_on
from licensing.policy.service import method as service_method_rule
from licensing.policy.statutory import rule_for
from licensing.policy.terms import latest_expiry, standard_expiry, term_for
from licensing.revocations.effects import notice_dates
from licensing.revocations.operations import check_consent, take_action
from licensing.revocations.queries import nr3s_entry_opened
from licensing.text import govuk_date


class DecisionError(DomainError):
    pass


@dataclass
class ApplicationDecision:
    """What deciding an application produced: the application (closed or deferred), the
    enforcement record of a refusal (None otherwise) and the notice issued (None when the caller
    issues its own, as a hearing does)."""

    application: object
    action: object = None
    letter: object = None
    starts_on: dt.date | None = None


def right_to_work_until(holder_id):
    """The end of the holder's recorded permission to work in the UK, if it is time-limited."""
    return db.session.execute(
        sa.select(ComplianceCheck.expires_on).where(ComplianceCheck.holder_id == holder_id,
                                                    ComplianceCheck.kind == CheckKind.RIGHT_TO_WORK)
        .order_by(ComplianceCheck.completed_on.desc(), ComplianceCheck.id.desc())).scalars().first()


def term_start(application, decided_on):
    licence = application.licence
    if application.kind == ApplicationKind.RENEWAL and licence.expires_on and licence.expires_on >= decided_on:
        return licence.expires_on + dt.timedelta(days=1)
    return decided_on


def proposed_expiry(application, decided_on):
    """The standard expiry for a grant on `decided_on`, within the cap."""
    licence = application.licence
    start = term_start(application, decided_on)
    return min(standard_expiry(licence.licence_type, start),
               latest_expiry(licence.licence_type, start, right_to_work_until(licence.holder_id)))


def _check_term(application, decided_on, expires_on):
    licence = application.licence
    start = term_start(application, decided_on)
    rtw = right_to_work_until(licence.holder_id)
    latest = latest_expiry(licence.licence_type, start, rtw)
    if expires_on > latest:
        term = term_for(licence.licence_type, start)
        why = (f"the holder's right to work ends on {govuk_date(rtw)}" if rtw and rtw == latest
               else f"a {licence.licence_type.label.lower()} licence runs for at most {term.maximum_years} "
                    f"year{'s' if term.maximum_years != 1 else ''} ({term.source})")
        raise DecisionError(f"The expiry date can be no later than {govuk_date(latest)}: {why}", field="expires_on")


def decide_application(actor, application, *, outcome, capacity, decided_on, reasons, decided_by=None,
                       expires_on=None, safeguarding_or_road_safety=False,
                       service_method="first_class_post", notice_date=None, case=None, issue_notice=True,
                       version=None, today=None):
    """Grant, refuse or defer `application`. `decided_by` is the person who decided (the officer
    under delegation, or the hearing's decision maker); `actor` is who records it."""
    outcome, capacity = ApplicationOutcome(outcome), DecisionCapacity(capacity)
    if capacity == DecisionCapacity.HEARING and decided_by is None:
        raise DecisionError("A hearing's decision names its decision maker", field="capacity")
    decided_by = decided_by or actor
    licence = application.licence
    version = licence.version if version is None else version
    notice_date = notice_date or decided_on
    service_method_rule(service_method)
    check_consent(application.licence, service_method)
    if decided_on and notice_date < decided_on:
        raise DecisionError("The notice cannot be dated before the decision", field="notice_date")
    if outcome == ApplicationOutcome.GRANTED:
        _check_fee_paid(application, decided_on or dt.date.today())
    if outcome == ApplicationOutcome.GRANTED and decided_on:
        expires_on = expires_on or proposed_expiry(application, decided_on)
        _check_term(application, decided_on, expires_on)
    renewal = application.kind == ApplicationKind.RENEWAL
    starts_on = term_start(application, decided_on) if decided_on else None
    licences.decide_application(actor, application, outcome=outcome, capacity=capacity, decided_on=decided_on,
                                reasons=reasons, expires_on=expires_on, version=version, today=today,
                                decided_by=decided_by)
    result = ApplicationDecision(application=application, starts_on=starts_on)
    if outcome == ApplicationOutcome.REFUSED:
        result.action = take_action(
            actor, licence, kind="refusal",
            origin=ActionOrigin.HEARING if capacity == DecisionCapacity.HEARING else ActionOrigin.OFFICER,
            decision="refuse_renewal" if renewal else "refuse_new", application=application,
            decision_date=decided_on, notice_date=notice_date, service_method=service_method,
            served=service_method == "hand", grounds=application.reasons, authorised_by=decided_by, case=case,
            safeguarding_or_road_safety=safeguarding_or_road_safety)
    if issue_notice and outcome != ApplicationOutcome.DEFERRED:
        result.letter = _issue_notice(actor, result, decided_by, service_method, notice_date)
    db.session.flush()
    return result


def _check_fee_paid(application, on_date):
    """A licence applied for online is not granted while its fee is unpaid, where the fee
    schedule in force says so (policy data: fees.json, grant_needs_payment)."""
    if not schedule_on(on_date).grant_needs_payment:
        return
    made_online = db.session.execute(
        sa.select(OnlineApplication.id).where(OnlineApplication.application_id == application.id)).first()
    paid = db.session.execute(
        sa.select(Payment.id).where(Payment.licence_application_id == application.id,
                                    Payment.status == PaymentStatus.SUCCESS)).first()
    if made_online and not paid:
        raise DecisionError("The fee for this application made online has not been paid, so it cannot be "
                            "granted yet", field="outcome")


def _issue_notice(actor, result, decided_by, service_method, notice_date):
    application = result.application
    licence, holder = application.licence, application.licence.holder
    granted = application.outcome == ApplicationOutcome.GRANTED
    renewal = application.kind == ApplicationKind.RENEWAL
    decision = "grant" if granted else ("refuse_renewal" if renewal else "refuse_new")
    rule = rule_for(licence.licence_type, decision, application.decided_on)
    dates = notice_dates(rule, decision_date=application.decided_on, notice_date=notice_date,
                         service_method=service_method)
    reference = f"AD-{application.id:06d}"
    notice = ApplicationNotice(
        contact=contact_from_config(current_app.config), reference=reference, holder_name=holder.display_name,
        holder_address=", ".join(p for p in (holder.address, holder.postcode) if p),
        licence_number=licence.licence_number, licence_type=licence.licence_type.label, renewal=renewal,
        granted=granted, decided_on=application.decided_on, reasons=application.reasons, power=rule.power,
        court_name=rule.court_name, appeal_against=rule.appeal_against,
        service_label=service_method_rule(service_method).label, notice_date=notice_date, served_on=dates.served_on,
        appeal_deadline=dates.appeal_deadline,
        starts_on=result.starts_on if granted else None,
        expires_on=licence.expires_on if granted else None, conditions=licence.conditions or "",
        nr3s_entry=nr3s_entry_opened(result.action),
        decided_by=decided_by.name_and_post,
        delegation=delegation_for(decision, application.decided_on)
        if application.capacity == DecisionCapacity.DELEGATED_OFFICER else "the decision of the hearing")
    return issue_letter(actor, f"application_{'grant' if granted else 'refusal'}", build_application_notice(notice),
                        holder=holder, action=result.action, filename=f"decision-{reference}.pdf")


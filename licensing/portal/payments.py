"""Paying a licence fee online: the amount comes from the fee schedule in force (policy data);
the payer is sent to the payment service's page and back; the state is read from the service on
return and by `flask payments reconcile`, never taken from the browser; refunds are recorded with
their reason. A receipt is e-mailed once a payment succeeds."""

import datetime as dt

import sqlalchemy as sa

from licensing.audit import record
from licensing.extensions import db
from licensing.models import (
    LicenceType,
    OnlineApplication,
    OnlineApplicationStatus,
    Payment,
    PaymentStatus,
    PortalAccount,
    Refund,
)
from licensing.models.base import utcnow
from licensing.policy.fees import pounds, schedule_on
from licensing.portal.mail import queue_account_email
from licensing.portal.operations import PortalError
from licensing.text import govuk_date

PAYABLE = (OnlineApplicationStatus.SUBMITTED, OnlineApplicationStatus.MORE_INFORMATION)


def fee_for(application, today=None):
    schedule = schedule_on(today or dt.date.today())
    return schedule.licence_fee(application.licence_type, application.kind), schedule.edition


def application_payments(application):
    return db.session.execute(sa.select(Payment).where(Payment.online_application_id == application.id)
                              .order_by(Payment.id)).scalars().all()


def successful_payment(application):
    return db.session.execute(
        sa.select(Payment).where(Payment.online_application_id == application.id,
                                 Payment.status == PaymentStatus.SUCCESS).order_by(Payment.id)
    ).scalars().first()


def start_payment(account, application, return_url_for, service, today=None):
    """Create the payment with the service; returns the Payment, whose `next_url` the payer follows."""
    if application.status not in PAYABLE:
        raise PortalError("Send your application before you pay its fee", field="pay")
    if successful_payment(application) is not None:
        raise PortalError("The fee for this application has already been paid", field="pay")
    amount, edition = fee_for(application, today)
    kind = "renewal of a" if application.kind == "renewal" else "new"
    description = f"Fee for a {kind} {LicenceType(application.licence_type).label.lower()} licence"
    payment = Payment(online_application_id=application.id, licence_application_id=application.application_id,
                      holder_id=application.holder_id, account_id=account.id, amount_pence=amount,
                      description=description, fee_edition=edition, provider=service.name)
    db.session.add(payment)
    db.session.flush()
    answer = service.create(amount, payment.reference, description, return_url_for(payment))
    payment.provider_payment_id, payment.next_url = answer["payment_id"], answer["next_url"]
    payment.status = PaymentStatus(answer["status"])
    record(None, "payment.create", payment, holder_id=application.holder_id,
           after={"amount_pence": amount, "fee_edition": edition, "application": application.reference})
    return payment


def refresh_payment(payment, service, now=None):
    """Read the payment's state from the service (the browser's return proves nothing)."""
    if payment.status.finished:
        return payment
    answer = service.status(payment.provider_payment_id)
    status = PaymentStatus(answer["status"])
    if status == payment.status:
        return payment
    before, payment.status = payment.status.value, status
    if status == PaymentStatus.SUCCESS:
        payment.paid_at = now or utcnow()
        account = db.session.get(PortalAccount, payment.account_id)
        queue_account_email(account, f"online:receipt:{payment.id}", f"Receipt for your payment {payment.reference}",
                            f"We have received {pounds(payment.amount_pence)}: {payment.description}.\n"
                            f"Payment reference: {payment.reference}\nPaid: {govuk_date(payment.paid_at.date())}")
    record(None, "payment.status", payment, holder_id=payment.holder_id,
           before={"status": before}, after={"status": status.value})
    return payment


def reconcile(service, older_than=dt.timedelta(minutes=15), now=None):
    """Check every unfinished payment older than `older_than` with the service (a payer who
    closed the window before returning); returns how many changed."""
    now = now or utcnow()
    open_payments = db.session.execute(
        sa.select(Payment).where(Payment.status.in_([PaymentStatus.CREATED, PaymentStatus.STARTED,
                                                     PaymentStatus.SUBMITTED, PaymentStatus.CAPTURABLE]),
                                 Payment.created_at <= now - older_than, Payment.provider_payment_id.is_not(None))
    ).scalars().all()
    changed = 0
    for payment in open_payments:
        before = payment.status
        refresh_payment(payment, service, now)
        changed += payment.status != before
    return changed


def refund_payment(actor, payment, amount_pence, reason, service):
    reason = (reason or "").strip()
    if not reason:
        raise PortalError("Give the reason for the refund", field="reason")
    available = payment.amount_pence - payment.refunded_pence
    if payment.status != PaymentStatus.SUCCESS:
        raise PortalError("Only a payment that was taken can be refunded", field="amount")
    if not 0 < amount_pence <= available:
        raise PortalError(f"The refund must be between £0.01 and {pounds(available)}", field="amount")
    answer = service.refund(payment.provider_payment_id, amount_pence, available)
    refund = Refund(payment_id=payment.id, amount_pence=amount_pence, reason=reason,
                    provider_refund_id=answer["refund_id"], status=answer["status"], refunded_by_id=actor.id)
    payment.refunded_pence += amount_pence
    db.session.add(refund)
    record(actor, "payment.refund", payment, holder_id=payment.holder_id, reason=reason,
           after={"amount_pence": amount_pence, "status": answer["status"]})
    return refund


def fees_report(start, end):
    """Per licence type: payments taken, their total and refunds, paid from `start` to `end`."""
    rows = db.session.execute(
        sa.select(OnlineApplication.licence_type, OnlineApplication.kind, sa.func.count(Payment.id),
                  sa.func.sum(Payment.amount_pence), sa.func.sum(Payment.refunded_pence))
        .join(OnlineApplication, OnlineApplication.id == Payment.online_application_id)
        .where(Payment.status == PaymentStatus.SUCCESS, Payment.paid_at >= start,
               Payment.paid_at < end + dt.timedelta(days=1))
        .group_by(OnlineApplication.licence_type, OnlineApplication.kind)
        .order_by(OnlineApplication.licence_type, OnlineApplication.kind)
    ).all()
    return [{"licence_type": LicenceType(t).label, "kind": k, "payments": n, "taken_pence": taken or 0,
             "refunded_pence": refunded or 0} for t, k, n, taken, refunded in rows]

"""Officers and managers: what was paid for an application, refunds with their reason, and the
fees report."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from flask import Blueprint, render_template, request, url_for

from licensing.audit import record
from licensing.models import OnlineApplication, Payment, Permission
from licensing.permissions import get_or_404, requires
from licensing.policy.fees import pounds
from licensing.portal import payments
from licensing.portal.forms import RefundForm
from licensing.portal.operations import PortalError
from licensing.portal.pay import payment_service
from licensing.web.downloads import csv_download
from licensing.web.submit import actor, submit

bp = Blueprint("online_payments", __name__, url_prefix="/holders")


def _pence(text):
    try:
        value = Decimal((text or "").strip().lstrip("£").replace(",", ""))
    except InvalidOperation:
        raise PortalError("Enter the amount in pounds, like 50 or 12.50", field="amount") from None
    if value != value.quantize(Decimal("0.01")) or not Decimal("0") < value < Decimal("100000"):
        raise PortalError("Enter the amount in pounds, like 50 or 12.50", field="amount")
    return int(value * 100)


@bp.route("/online-payments/<int:payment_id>", methods=["GET", "POST"])
@requires(Permission.REGISTER_WRITE)
def payment(payment_id):
    found = get_or_404(Payment, payment_id)
    form = RefundForm()
    done = submit(form, lambda: payments.refund_payment(actor(), found, _pence(form.amount.data), form.reason.data,
                                                        payment_service()),
                  redirect_to=url_for("online_payments.payment", payment_id=found.id), message="Refund recorded")
    application = get_or_404(OnlineApplication, found.online_application_id)
    return done or render_template("portal/staff_payment.html", payment=found, application=application, form=form,
                                   pounds=pounds)


def _day(name, default):
    try:
        return dt.date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return default


@bp.route("/fees")
@requires(Permission.REPORTS_READ)
def fees():
    today = dt.date.today()
    start, end = _day("from", today.replace(day=1)), _day("to", today)
    rows = payments.fees_report(start, end)
    if request.args.get("format") == "csv":
        record(actor(), "report.export", entity_type="report", reason=f"fees CSV {start} to {end}")
        return csv_download(f"fees-{start}-{end}.csv", ["Licence type", "New or renewal", "Payments", "Taken (£)",
                                                         "Refunded (£)"],
                            lambda: ([r["licence_type"], r["kind"], r["payments"], f"{r['taken_pence'] / 100:.2f}",
                                      f"{r['refunded_pence'] / 100:.2f}"] for r in rows))
    return render_template("portal/staff_fees.html", rows=rows, start=start, end=end, pounds=pounds,
                           total=sum(r["taken_pence"] for r in rows), refunded=sum(r["refunded_pence"] for r in rows))

"""Paying the fee online through the payment service (the local fake, which follows GOV.UK Pay's
create-payment / return URL / status flow): the amount is the fee schedule's, the state is read
from the service, a licence is not granted while its fee is unpaid, refunds are recorded, and the
fees report adds them up."""

import datetime as dt

import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import AuditEvent, Licence, OnlineApplication, OutboundEmail, Payment
from licensing.policy.fees import schedule_on
from licensing.portal import payments
from licensing.portal.pay import payment_service
from tests.conftest import login
from tests.support import register
from tests.support.portal import create_account, pay_on_fake_page, pay_online, sign_in
from tests.support.register import TODAY, date_parts
from tests.test_portal_applications import _fill, _start


def _sent_application(client, email):
    create_account(client, email)
    sign_in(client, email)
    application_id = _start(client)
    _fill(client, application_id)
    assert client.post(f"/account/applications/{application_id}/check", data={"declaration": "y"}).status_code == 302
    return application_id


def _grant(officer, app, licence_id):
    with app.app_context():
        version = db.session.get(Licence, licence_id).version
    return officer.post(f"/holders/licences/{licence_id}/decision", data={
        "version": version, "outcome": "granted", "decided_on": date_parts(TODAY), "reasons": "All in order",
        "service_method": "first_class_post", "notice_date": date_parts(TODAY)})


def test_the_fee_is_paid_and_only_then_can_the_licence_be_granted(app, users, fake_pay):
    applicant = app.test_client()
    application_id = _sent_application(applicant, "payer@example.com")
    fee = schedule_on(TODAY).licence_fee("private_hire_driver", "new")
    assert f"£{fee / 100:,.2f}" in applicant.get(f"/account/applications/{application_id}/sent").get_data(as_text=True)
    with app.app_context():
        licence = db.session.get(Licence, db.session.get(OnlineApplication, application_id).licence_id)
        register.add_required_checks(register.user(users["officer"]), licence)
        db.session.commit()
        licence_id = licence.id
    officer = app.test_client()
    login(officer, users["officer"])
    refused = _grant(officer, app, licence_id)
    assert refused.status_code == 200 and "has not been paid" in refused.get_data(as_text=True)

    receipt = pay_online(applicant, application_id).get_data(as_text=True)
    assert "Payment received" in receipt and f"£{fee / 100:,.2f}" in receipt
    with app.app_context():
        payment = db.session.execute(sa.select(Payment)).scalar_one()
        assert payment.status.value == "success" and payment.amount_pence == fee and payment.paid_at is not None
        assert payment.fee_edition == schedule_on(TODAY).edition
        assert db.session.execute(sa.select(OutboundEmail.subject).where(
            OutboundEmail.subject.like("Receipt for your payment%"))).scalar_one()
    again = applicant.post(f"/account/applications/{application_id}/pay")
    assert again.status_code == 400 and "already been paid" in again.get_data(as_text=True)
    assert _grant(officer, app, licence_id).status_code == 302
    item = officer.get(f"/holders/online-applications/{application_id}").get_data(as_text=True)
    assert "PAY-000001" in item and "paid" in item


def test_a_cancelled_payment_takes_nothing_and_can_be_tried_again(app, fake_pay):
    applicant = app.test_client()
    application_id = _sent_application(applicant, "cancel@example.com")
    page = pay_online(applicant, application_id, outcome="cancel").get_data(as_text=True)
    assert "Your payment was not completed" in page and "Payment cancelled" in page
    assert "Payment received" in pay_online(applicant, application_id).get_data(as_text=True)
    with app.app_context():
        assert [p.status.value for p in db.session.execute(sa.select(Payment).order_by(Payment.id)).scalars()] == [
            "cancelled", "success"]


def test_a_payer_who_never_comes_back_is_reconciled_from_the_service(app, fake_pay):
    applicant = app.test_client()
    application_id = _sent_application(applicant, "gone@example.com")
    response = applicant.post(f"/account/applications/{application_id}/pay")
    pay_on_fake_page(None, response.location)  # paid, then closed the window
    with app.app_context():
        assert payments.reconcile(payment_service(), older_than=dt.timedelta(0)) == 1
        db.session.commit()
        assert db.session.execute(sa.select(Payment.status)).scalar_one().value == "success"
        assert payments.reconcile(payment_service(), older_than=dt.timedelta(0)) == 0


def test_refunds_are_recorded_with_their_reason_and_counted_in_the_fees_report(app, users, fake_pay):
    applicant = app.test_client()
    application_id = _sent_application(applicant, "refund@example.com")
    pay_online(applicant, application_id)
    officer = app.test_client()
    login(officer, users["officer"])
    too_much = officer.post("/holders/online-payments/1", data={"amount": "900", "reason": "Overpaid"})
    assert too_much.status_code == 200 and 'id="amount-error"' in too_much.get_data(as_text=True)
    done = officer.post("/holders/online-payments/1", data={"amount": "50.00", "reason": "Application withdrawn"})
    assert done.status_code == 302
    with app.app_context():
        payment = db.session.get(Payment, 1)
        assert payment.refunded_pence == 5000 and payment.refunds[0].reason == "Application withdrawn"
        assert db.session.execute(sa.select(sa.func.count()).select_from(AuditEvent)
                                  .where(AuditEvent.action == "payment.refund")).scalar_one() == 1
    manager = app.test_client()
    login(manager, users["manager"])
    report = manager.get("/holders/fees").get_data(as_text=True)
    assert "Private hire driver" in report and "£250.00" in report and "£50.00" in report
    csv = manager.get("/holders/fees?format=csv").get_data(as_text=True)
    assert "Private hire driver,new,1,250.00,50.00" in csv


def test_the_service_down_or_not_configured_takes_nothing(app):
    applicant = app.test_client()
    application_id = _sent_application(applicant, "down@example.com")
    app.config.update(PAY_API_URL="http://127.0.0.1:9/fake-pay", PAY_API_KEY="k")
    down = applicant.post(f"/account/applications/{application_id}/pay")
    assert down.status_code == 400 and "not available just now" in down.get_data(as_text=True)
    app.config.update(PAY_API_KEY="")
    off = applicant.post(f"/account/applications/{application_id}/pay")
    assert "Paying online is not available yet" in off.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(sa.select(sa.func.count()).select_from(Payment)).scalar_one() == 0

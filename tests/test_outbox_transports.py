"""The outbox's transports: real mail through a local relay that requires STARTTLS (or implicit TLS)
and login; GOV.UK Notify's API as its own client calls it, against a local server answering with
recorded responses; delivery receipts; requeue; and outages that lose or fail no message."""

import base64
import datetime as dt
import email
import email.policy
import json

import jwt
import pytest
import sqlalchemy as sa

from licensing.extensions import db
from licensing.jobs.runner import run_job
from licensing.letters.issue import issue_letter
from licensing.models import AuditEvent, Channel, EmailStatus, OutboundEmail
from tests.conftest import login
from tests.support import register
from tests.support.services import SMTP_PASSWORD, SMTP_USER, FakeService, fixture_json, start_secure_smtp
from tests.support.training_data import free_port

pytestmark = pytest.mark.clean_database  # the sender's job lock is taken on a second connection

SERVICE_ID, SECRET = "26785a09-ab16-4eb0-8407-a37497a57506", "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"licensing_test-{SERVICE_ID}-{SECRET}"
EMAIL_TEMPLATE, SMS_TEMPLATE = "f33517ff-2a88-4f6e-b855-c550268ce08a", "0b6c9a7e-1f2d-4e3a-8b5c-6d7e8f9a0b1c"
PDF = b"%PDF-1.4\n% a letter for the tests\n%%EOF\n"


def _queue(holder, key="reminder:1", channel=Channel.EMAIL, to="holder@example.com", letter=None):
    message = OutboundEmail(key=key, holder_id=holder.id, to_address=to, subject="Reminder: your DBS check",
                            body="Dear Dana,\nYour DBS check is due.", channel=channel, status=EmailStatus.QUEUED,
                            attempts=0, next_attempt_at=dt.datetime(2026, 1, 1),
                            letter_id=letter.id if letter else None)
    db.session.add(message)
    db.session.commit()
    return message


@pytest.fixture
def holder(officer):
    made = register.person(officer, email="holder@example.com")
    db.session.commit()
    return made


def _send():
    return run_job("send_reminders").counts


# SMTP ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["starttls", "tls"])
def test_mail_goes_through_a_relay_that_requires_tls_and_login(app, holder, tmp_path, mode):
    controller, inbox, ca_file = start_secure_smtp(tmp_path, mode)
    try:
        app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, SMTP_SECURITY=mode, SMTP_CA_FILE=ca_file,
                          SMTP_USERNAME=SMTP_USER, SMTP_PASSWORD=SMTP_PASSWORD, MAIL_FROM="licensing@council.example")
        message = _queue(holder)
        assert _send() == {"sent": 1, "retry_scheduled": 0, "failed": 0, "deferred": 0}
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
    received = email.message_from_string(inbox.messages[0][1], policy=email.policy.default)
    assert received["To"] == "holder@example.com" and received["X-Licensing-Key"] == "reminder:1"
    db.session.refresh(message)
    assert (message.status, message.attempts) == (EmailStatus.SENT, 1)


@pytest.mark.parametrize("change", [{"SMTP_PASSWORD": "wrong"}, {"SMTP_CA_FILE": ""}, {"SMTP_SECURITY": "none"}])
def test_a_refused_login_an_untrusted_certificate_or_no_tls_sends_nothing_and_costs_no_attempt(
        app, holder, tmp_path, change):
    controller, inbox, ca_file = start_secure_smtp(tmp_path)
    try:
        app.config.update({"SMTP_HOST": "127.0.0.1", "SMTP_PORT": controller.port, "SMTP_SECURITY": "starttls",
                           "SMTP_CA_FILE": ca_file, "SMTP_USERNAME": SMTP_USER, "SMTP_PASSWORD": SMTP_PASSWORD,
                           **change})
        message = _queue(holder)
        assert _send()["deferred"] == 1
    finally:
        controller.stop()
    assert inbox.messages == []
    db.session.refresh(message)
    assert (message.status, message.attempts) == (EmailStatus.QUEUED, 0)


def test_a_long_outage_marks_nothing_failed_and_every_message_goes_once_after(app, holder, smtp):
    for n in range(3):
        _queue(holder, key=f"reminder:{n}")
    working = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = free_port()  # the relay is down
    for _ in range(20):  # 20 runs, 5 minutes apart: 100 minutes, longer than the old back-off allowed
        assert _send() == {"sent": 0, "retry_scheduled": 0, "failed": 0, "deferred": 1}
    statuses = db.session.execute(sa.select(OutboundEmail.status, OutboundEmail.attempts)).all()
    assert statuses == [(EmailStatus.QUEUED, 0)] * 3
    app.config["SMTP_PORT"] = working
    assert _send()["sent"] == 3
    assert _send()["sent"] == 0
    assert sorted(m[1].split("X-Licensing-Key: ")[1].split()[0] for m in smtp.messages) == [
        "reminder:0", "reminder:1", "reminder:2"]


# GOV.UK Notify ---------------------------------------------------------------------------------

@pytest.fixture
def notify(app):
    fake = FakeService()
    for kind in ("email", "sms", "letter"):
        fake.answer("POST", f"/v2/notifications/{kind}", 201, fixture_json(f"notify_{kind}_response.json"))
    app.config.update(MAIL_TRANSPORT="notify", NOTIFY_API_KEY=API_KEY, NOTIFY_BASE_URL=fake.url,
                      NOTIFY_EMAIL_TEMPLATE_ID=EMAIL_TEMPLATE, NOTIFY_SMS_TEMPLATE_ID=SMS_TEMPLATE,
                      NOTIFY_CALLBACK_TOKEN="callback-token-for-tests")
    yield fake
    fake.stop()


def _body(request):
    """The request as Notify receives it, after checking its JWT as Notify does (HS256, iss = service id)."""
    token = request["headers"]["Authorization"].removeprefix("Bearer ")
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert claims["iss"] == SERVICE_ID and "iat" in claims
    assert request["headers"]["Content-type"] == "application/json"
    return json.loads(request["body"])


def test_notify_email_with_a_letter_uses_the_template_and_a_file_link(app, holder, officer, notify):
    letter = issue_letter(officer, "hearing_decision", PDF, holder=holder, filename="decision.pdf")
    db.session.commit()
    assert _send()["sent"] == 1
    [request] = notify.requests
    assert request["method"] == "POST" and request["path"] == "/v2/notifications/email"
    body = _body(request)
    assert body["email_address"] == "holder@example.com" and body["template_id"] == EMAIL_TEMPLATE
    assert body["reference"] == f"letter:{letter.id}"
    assert body["personalisation"]["subject"] == "Decision about your licence"
    link = body["personalisation"]["link_to_file"]
    assert base64.b64decode(link["file"]) == PDF and link["filename"] == "decision.pdf"
    assert link["confirm_email_before_download"] is True
    message = db.session.scalars(sa.select(OutboundEmail)).one()
    assert message.provider_ref == fixture_json("notify_email_response.json")["id"]


def test_a_holder_without_email_gets_the_decision_posted_as_a_precompiled_letter(app, officer, notify):
    app.config["NOTIFY_POST_LETTERS"] = True
    holder = register.person(officer, last_name="Postal")
    letter = issue_letter(officer, "hearing_decision", PDF, holder=holder, filename="decision.pdf")
    db.session.commit()
    message = db.session.scalars(sa.select(OutboundEmail)).one()
    assert message.channel == Channel.LETTER
    assert _send()["sent"] == 1
    body = _body(notify.requests[0])
    assert notify.requests[0]["path"] == "/v2/notifications/letter"
    assert body == {"reference": f"letter:{letter.id}", "content": base64.b64encode(PDF).decode(), "postage": "first"}
    posted = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "letter.posted")).all()
    assert [e.entity_id for e in posted] == [letter.id]


def test_a_reminder_goes_by_text_message_to_a_holder_with_only_a_phone(app, officer, notify):
    from licensing.training.reminders import queue_flag_reminders
    from tests.support.training_data import make_driver

    driver, licence = make_driver("SMS1", issued_on=dt.date(2026, 1, 1), expires_on=dt.date(2027, 1, 1))
    driver.email, driver.phone = None, "07700900123"
    flag = _flag(driver, licence)
    assert queue_flag_reminders([flag], dt.datetime(2026, 6, 1, 9)) == 1
    db.session.commit()
    assert _send()["sent"] == 1
    body = _body(notify.requests[0])
    assert notify.requests[0]["path"] == "/v2/notifications/sms"
    assert body["phone_number"] == "07700900123" and body["template_id"] == SMS_TEMPLATE
    assert "licence L-SMS1" in body["personalisation"]["body"] and "2026-" not in body["personalisation"]["body"]


def _flag(holder, licence):
    from licensing.models import ComplianceFlag

    flag = ComplianceFlag(holder_id=holder.id, licence_id=licence.id, requirement="dbs_enhanced",
                          due_on=dt.date(2026, 6, 30), lead_days=30, raised_on=dt.date(2026, 5, 31))
    db.session.add(flag)
    db.session.flush()
    return flag


def test_notify_outage_and_a_refused_message(app, holder, notify):
    ok = _queue(holder, key="reminder:ok")
    notify.answer("POST", "/v2/notifications/email", 500, fixture_json("notify_error_500.json"))
    for _ in range(10):
        assert _send()["deferred"] == 1
    db.session.refresh(ok)
    assert (ok.status, ok.attempts) == (EmailStatus.QUEUED, 0)
    notify.answer("POST", "/v2/notifications/email", 400, fixture_json("notify_error_400.json"))
    assert _send() == {"sent": 0, "retry_scheduled": 0, "failed": 1, "deferred": 0}
    db.session.refresh(ok)
    assert (ok.status, ok.attempts, ok.last_error) == (EmailStatus.FAILED, 1, "Notify 400")


def test_delivery_receipts_update_the_message_and_need_the_token(app, client, holder, notify):
    message = _queue(holder)
    _send()
    receipt = {**fixture_json("notify_receipt_delivered.json"), "reference": message.key}
    assert client.post("/integrations/notify/receipts", json=receipt).status_code == 401
    assert client.post("/integrations/notify/receipts", json=receipt,
                       headers={"Authorization": "Bearer wrong"}).status_code == 401
    headers = {"Authorization": "Bearer callback-token-for-tests"}
    assert client.post("/integrations/notify/receipts", json={"id": 1}, headers=headers).status_code == 400
    response = client.post("/integrations/notify/receipts", json=receipt, headers=headers)
    assert response.status_code == 200 and response.json == {"status": "recorded"}
    db.session.refresh(message)
    assert (message.status, message.delivery_status) == (EmailStatus.SENT, "delivered")
    assert message.delivered_at is not None
    failed = {**receipt, "status": "permanent-failure"}
    assert client.post("/integrations/notify/receipts", json=failed, headers=headers).status_code == 200
    db.session.refresh(message)
    assert (message.status, message.last_error) == (EmailStatus.FAILED, "Notify permanent-failure")
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.entity_type == "outbound_emails"))
    assert list(actions).count("outbox.delivery_receipt") == 2


def test_receipts_are_off_until_a_token_is_configured(app, client):
    app.config["NOTIFY_CALLBACK_TOKEN"] = ""
    assert client.post("/integrations/notify/receipts", json={}).status_code == 404


# Requeue ---------------------------------------------------------------------------------------

def _failed(holder, key):
    message = _queue(holder, key=key)
    message.status, message.attempts, message.last_error = EmailStatus.FAILED, 5, "SMTPDataError"
    db.session.commit()
    return message


def test_flask_outbox_requeue_brings_failed_messages_back(app, holder, smtp):
    first, second = _failed(holder, "reminder:a"), _failed(holder, "reminder:b")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["outbox", "requeue", "--reason", "relay fixed"]).exit_code == 2
    result = runner.invoke(args=["outbox", "requeue", "--id", str(first.id), "--reason", "relay fixed"])
    assert result.exit_code == 0 and "1 message queued" in result.output
    result = runner.invoke(args=["outbox", "status"])
    assert "queued: 1" in result.output and "failed: 1" in result.output
    assert runner.invoke(args=["outbox", "requeue", "--all-failed", "--reason", "relay fixed"]).exit_code == 0
    assert _send()["sent"] == 2
    db.session.refresh(second)
    assert second.status == EmailStatus.SENT
    requeued = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "outbox.requeue")).all()
    assert len(requeued) == 2 and {e.reason for e in requeued} == {"relay fixed"}


def test_the_admin_sees_the_backlog_on_home_and_requeues_on_the_outbox_page(app, client, users, holder):
    _queue(holder, key="reminder:waiting")
    message = _failed(holder, "reminder:failed")
    login(client, users["admin"])
    home = client.get("/home").get_data(as_text=True)
    assert "1 waiting to be sent, 1 failed" in home
    page = client.get("/integrations/outbox").get_data(as_text=True)
    assert "Reminder: your DBS check" in page and "SMTPDataError" in page and "holder@example.com" not in page
    response = client.post("/integrations/outbox", data={"reason": "relay fixed"})
    assert response.status_code == 302
    db.session.refresh(message)
    assert (message.status, message.attempts) == (EmailStatus.QUEUED, 0)


def test_an_officer_cannot_requeue(app, client, users, holder):
    message = _failed(holder, "reminder:failed")
    login(client, users["officer"])
    assert client.get("/integrations/outbox").status_code == 403
    assert client.post("/integrations/outbox", data={"reason": "x"}).status_code == 403
    db.session.refresh(message)
    assert message.status == EmailStatus.FAILED


def test_secrets_can_be_read_from_files(tmp_path):
    from config import ConfigError, load_config

    secret = tmp_path / "smtp-password"
    secret.write_text("from-a-file\n")
    settings = load_config({"LICENSING_ENV": "testing", "SMTP_PASSWORD_FILE": str(secret),
                            "NOTIFY_API_KEY_FILE": str(secret)})
    assert settings["SMTP_PASSWORD"] == "from-a-file" and settings["NOTIFY_API_KEY"] == "from-a-file"
    with pytest.raises(ConfigError, match="SMTP_PASSWORD_FILE"):
        load_config({"LICENSING_ENV": "testing", "SMTP_PASSWORD_FILE": str(tmp_path / "missing")})


def test_the_daily_scan_queues_a_text_message_for_a_holder_with_only_a_phone(app, notify):
    from tests.support.training_data import make_driver

    with app.app_context():
        emailed, _ = make_driver("SCAN1", issued_on=dt.date(2026, 1, 1), expires_on=dt.date(2026, 2, 1))
        texted, _ = make_driver("SCAN2", issued_on=dt.date(2026, 1, 1), expires_on=dt.date(2026, 2, 1))
        texted.email, texted.phone = None, "07700900456"
        neither, _ = make_driver("SCAN3", issued_on=dt.date(2026, 1, 1), expires_on=dt.date(2026, 2, 1))
        neither.email = None
        db.session.commit()
        run_job("expiry_scan", dt.date(2026, 1, 10))
        channels = dict(db.session.execute(sa.select(OutboundEmail.holder_id, OutboundEmail.channel)).all())
        assert channels.get(emailed.id) == Channel.EMAIL and channels.get(texted.id) == Channel.SMS
        assert neither.id not in channels

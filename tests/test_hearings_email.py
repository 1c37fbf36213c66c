"""Hearing letters go to the holder by e-mail, through the outbox and a real local SMTP server,
with the issued PDF attached, audited, and each letter once."""

import datetime as dt
import email
import email.policy
import hashlib

import pytest
import sqlalchemy as sa

from licensing.extensions import db
from licensing.hearings import decisions
from licensing.hearings import operations as ops
from licensing.jobs.runner import run_job
from licensing.letters.issue import queue_letter_email
from licensing.models import AuditEvent, EmailStatus, IssuedLetter, LicenceHolder, OutboundEmail, User
from tests.conftest import login
from tests.support.hearings import TODAY, awaiting_case, hearing, staff
from tests.support.pdf import pdf_text as _text
from tests.support.training_data import free_port

ADDRESS = "lukasz.driver@example.com"
NAME_LAST = "Żółć O'Brien"


@pytest.fixture
def people(ctx):
    return {"officer": staff("officer", "mail-officer@x.gov.uk"), "chair": staff("panel", "mail-chair@x.gov.uk")}


def _listed(people, ref, address=ADDRESS):
    officer = people["officer"]
    case = awaiting_case(officer, ref)
    case.holder.first_name, case.holder.last_name, case.holder.email = "Łukasz", NAME_LAST, address
    sitting = hearing(officer, people["chair"])
    return ops.list_case(officer, sitting, case, today=TODAY)


def _messages(inbox):
    return [email.message_from_string(content, policy=email.policy.default) for _rcpts, content in inbox.messages]


def _attachment(message):
    parts = [p for p in message.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert len(parts) == 1
    return parts[0].get_filename(), parts[0].get_content()


def _send(day=None):
    return run_job("send_reminders", day or dt.date.today() + dt.timedelta(days=1)).counts


def _actions(name):
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == name)).all()


def test_notice_and_decision_letter_are_emailed_once_with_the_pdf_attached(people, smtp):
    listing = _listed(people, "EM1")
    decision = decisions.record_decision(
        people["officer"], listing, outcome="revoke", reasons="Repeated dishonesty", decided_by=people["chair"],
        notice_date=dt.date(2026, 3, 31), safeguarding_or_road_safety=True)
    db.session.commit()
    letters = db.session.scalars(sa.select(IssuedLetter).where(IssuedLetter.case_id == listing.case_id)
                                 .order_by(IssuedLetter.id)).all()
    assert [x.kind for x in letters] == ["hearing_notice", "hearing_decision"]
    assert decision.letter_id == letters[1].id
    assert len(_actions("letter.email_queued")) == 2

    assert _send() == {"sent": 2, "retry_scheduled": 0, "failed": 0, "deferred": 0}
    received = _messages(smtp)
    assert [m["To"] for m in received] == [ADDRESS, ADDRESS]
    assert [m["Subject"] for m in received] == ["Notice of hearing about your licence", "Decision about your licence"]
    for message, letter in zip(received, letters, strict=True):
        filename, content = _attachment(message)
        assert filename == letter.filename
        assert hashlib.sha256(content).hexdigest() == letter.sha256  # the stored letter, not a rebuilt one
        assert f"Łukasz {NAME_LAST}" in _text(content)
        assert f"Dear Łukasz {NAME_LAST}" in message.get_body(preferencelist=("plain",)).get_content()
    decision_text = _text(_attachment(received[1])[1])
    assert "magistrates' court within 21 days" in decision_text and "Repeated dishonesty" in decision_text
    sent = _actions("letter.emailed")
    assert sorted(e.entity_id for e in sent) == [x.id for x in letters]
    assert all(e.holder_id == listing.case.holder_id for e in sent)

    # Sent once: the job finds nothing more, and queuing again returns the message already sent.
    assert _send()["sent"] == 0
    again = queue_letter_email(people["officer"], letters[1], listing.case.holder)
    assert again.status == EmailStatus.SENT
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboundEmail)) == 2
    assert len(smtp.messages) == 2


def test_an_unreachable_server_defers_the_letter_which_still_goes_once(app, people, smtp):
    _listed(people, "EM2")
    db.session.commit()
    working_port = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = free_port()  # nothing listens there
    assert _send() == {"sent": 0, "retry_scheduled": 0, "failed": 0, "deferred": 1}
    assert _actions("letter.emailed") == []
    assert db.session.scalars(sa.select(OutboundEmail)).one().attempts == 0  # the outage used no attempt
    app.config["SMTP_PORT"] = working_port
    assert _send(dt.date.today() + dt.timedelta(days=2))["sent"] == 1
    assert _send(dt.date.today() + dt.timedelta(days=3))["sent"] == 0
    assert len(smtp.messages) == 1 and len(_actions("letter.emailed")) == 1


def test_holder_without_address_gets_no_email_until_an_officer_sends_it(app, people, smtp, users):
    listing = _listed(people, "EM3", address=None)
    db.session.commit()
    listing_id, holder_id = listing.id, listing.case.holder_id
    letter_id = db.session.scalar(sa.select(IssuedLetter.id).where(IssuedLetter.case_id == listing.case_id))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboundEmail)) == 0
    client = app.test_client()
    login(client, users["officer"])
    page = client.get(f"/hearings/listings/{listing_id}").get_data(as_text=True)
    assert "no e-mail address" in page
    refused = client.post(f"/hearings/letters/{letter_id}/email", follow_redirects=True).get_data(as_text=True)
    assert "has no e-mail address" in refused

    db.session.get(LicenceHolder, holder_id).email = ADDRESS
    db.session.commit()
    page = client.get(f"/hearings/listings/{listing_id}").get_data(as_text=True)
    assert f'action="/hearings/letters/{letter_id}/email"' in page
    assert client.post(f"/hearings/letters/{letter_id}/email").status_code == 302
    twice = client.post(f"/hearings/letters/{letter_id}/email", follow_redirects=True).get_data(as_text=True)
    assert "already been e-mailed" in twice
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboundEmail)) == 1
    queued = _actions("letter.email_queued")
    officer = db.session.scalars(sa.select(User).where(User.email == users["officer"])).one()
    assert [e.actor_id for e in queued] == [officer.id]
    assert _send()["sent"] == 1
    assert "waiting to be e-mailed" not in client.get(f"/hearings/listings/{listing_id}").get_data(as_text=True)
    assert "e-mailed to the holder on" in client.get(f"/hearings/listings/{listing_id}").get_data(as_text=True)
    assert [m["To"] for m in _messages(smtp)] == [ADDRESS]


def test_panel_members_and_managers_cannot_email_letters(app, users):
    with app.app_context():
        people = {"officer": staff("officer", "mail-officer@x.gov.uk"), "chair": staff("panel", "mail-chair@x.gov.uk")}
        listing = _listed(people, "EM4")
        db.session.commit()
        letter_id = db.session.scalar(sa.select(IssuedLetter.id).where(IssuedLetter.case_id == listing.case_id))
    for role, expected in (("manager", 403), ("panel", 404)):
        client = app.test_client()
        login(client, users[role])
        assert client.post(f"/hearings/letters/{letter_id}/email").status_code == expected, role
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboundEmail)) == 1  # the automatic one

"""The training pages, the work queue, bulk suspension with notice letters, job runs and the CLI."""

import datetime as dt
import io
import os
import subprocess
import sys

import sqlalchemy as sa
from pypdf import PdfReader

from licensing.extensions import db
from licensing.jobs.runner import run_job
from licensing.models import (
    AuditEvent,
    Booking,
    BookingStatus,
    ComplianceFlag,
    FlagStatus,
    JobRun,
    Licence,
    LicenceStatus,
    OutboundEmail,
    ProposalStatus,
    SuspensionProposal,
    TrainingSession,
)
from tests.conftest import login
from tests.support.training_data import make_driver, start_smtp

TODAY = dt.date.today()


def _date(day):
    return [str(day.day), str(day.month), str(day.year)]


def _overdue_driver(ref, name=None):
    holder, licence = make_driver(ref, issued_on=TODAY - dt.timedelta(days=200),
                                  expires_on=TODAY + dt.timedelta(days=900))
    if name:
        holder.last_name = name
    return holder, licence


def test_officer_adds_a_course_and_session_and_books_and_completes(app, client, users):
    with app.app_context():
        holder, _ = _overdue_driver("V1")
        db.session.commit()
    login(client, users["officer"])
    response = client.post("/training/courses/new", data={
        "code": "SG1", "title": "Safeguarding", "kind": "safeguarding", "satisfies": "safeguarding_training",
        "validity_months": "36"})
    assert response.status_code == 302
    with app.app_context():
        course_id = db.session.execute(sa.text("SELECT id FROM training_courses")).scalar_one()
    response = client.post("/training/sessions/new", data={
        "course_id": course_id, "held_on": _date(TODAY),
        "venue": "Town Hall", "capacity": "1", "trainer": "Pat"})
    assert response.status_code == 302
    with app.app_context():
        session_id = db.session.scalar(sa.select(TrainingSession.id))
    first = client.post(f"/training/sessions/{session_id}", data={"holder_ref": "v1"})
    assert first.status_code == 302, first.get_data(as_text=True)[-3000:]
    again = client.post(f"/training/sessions/{session_id}", data={"holder_ref": "V1"})
    assert again.status_code == 200 and "already booked" in again.get_data(as_text=True)
    with app.app_context():
        booking = db.session.scalar(sa.select(Booking))
        booking_id, version = booking.id, booking.version
    page = client.get(f"/training/bookings/{booking_id}/complete")
    assert page.status_code == 200
    response = client.post(f"/training/bookings/{booking_id}/complete", data={
        "version": version, "completed_on": _date(TODAY), "certificate_reference": ""})
    assert response.status_code == 200 and "Enter the certificate reference" in response.get_data(as_text=True)
    response = client.post(f"/training/bookings/{booking_id}/complete", data={
        "version": version, "completed_on": _date(TODAY), "certificate_reference": "CERT-9"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Booking, booking_id).status == BookingStatus.COMPLETED
    assert "CERT-9" in client.get(f"/training/sessions/{session_id}").get_data(as_text=True)


def test_work_queue_filters_and_bulk_actions(app, client, users):
    with app.app_context():
        _overdue_driver("Q1")
        make_driver("Q2", issued_on=TODAY - dt.timedelta(days=10), expires_on=TODAY + dt.timedelta(days=20),
                    licence_type="hackney_carriage_driver")
        db.session.commit()
        run_job("expiry_scan", TODAY)
        flag_ids = db.session.scalars(sa.select(ComplianceFlag.id).order_by(ComplianceFlag.id)).all()
    login(client, users["officer"])
    page = client.get("/training/queue?licence_type=hackney_carriage_driver").get_data(as_text=True)
    assert "L-Q2" in page and "L-Q1" not in page
    page = client.get("/training/queue?requirement=licence_renewal&days_left=30").get_data(as_text=True)
    assert "L-Q2" in page and "L-Q1" not in page
    response = client.post("/training/queue", data={"flag_ids": flag_ids[:2], "action": "chase"})
    assert response.status_code == 302
    response = client.post("/training/queue", data={"flag_ids": flag_ids[:1], "action": "remind"})
    assert response.status_code == 302
    client.post("/training/queue", data={"flag_ids": flag_ids[:1], "action": "remind"})  # same day: no second
    empty = client.post("/training/queue", data={"action": "chase"})
    assert "Select at least one item" in empty.get_data(as_text=True)
    with app.app_context():
        assert [db.session.get(ComplianceFlag, i).status for i in flag_ids[:2]] == [FlagStatus.CHASED] * 2
        assert db.session.scalar(sa.select(sa.func.count()).where(OutboundEmail.key.like("manual:%"))) == 1
        assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "compliance_flag.chased")) == 2


def test_manager_sees_the_queue_but_cannot_act(app, client, users):
    login(client, users["manager"])
    assert client.get("/training/queue").status_code == 200
    assert client.post("/training/queue", data={"action": "chase"}).status_code == 403


def test_officer_confirms_suspensions_in_bulk_with_a_letter_each(app, client, users):
    with app.app_context():
        _overdue_driver("Z1", name="O'Brien <b>&amp; Sons</b>")
        _overdue_driver("Z2")
        db.session.commit()
        counts = run_job("expiry_scan", TODAY).counts
        assert counts["suspensions_proposed"] == 2
        ids = db.session.scalars(sa.select(SuspensionProposal.id)).all()
    login(client, users["officer"])
    page = client.get("/training/suspensions").get_data(as_text=True)
    assert "L-Z1" in page and "Group 2 medical" in page
    missing_reason = client.post("/training/suspensions", data={"proposal_ids": ids, "reason": ""})
    assert missing_reason.status_code == 200
    response = client.post("/training/suspensions", data={"proposal_ids": ids, "reason": "Checks <overdue>"})
    assert response.status_code == 302
    with app.app_context():
        assert set(db.session.scalars(sa.select(Licence.status))) == {LicenceStatus.SUSPENDED}
        assert set(db.session.scalars(sa.select(SuspensionProposal.status))) == {ProposalStatus.CONFIRMED}
        events = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "licence.suspended_until_compliant")).all()
        assert len(events) == 2 and {e.reason for e in events} == {"Checks <overdue>"}
        assert len({e.holder_id for e in events}) == 2
    twice = client.post("/training/suspensions", data={"proposal_ids": ids, "reason": "again"})
    assert "already confirmed" in twice.get_data(as_text=True)
    letter = client.get(f"/training/suspensions/{ids[0]}/letter.pdf")
    assert letter.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(letter.data)).pages)
    assert "O'Brien <b>&amp; Sons</b>" in text and "Checks <overdue>" in text
    assert "Notice of suspension of licence L-Z1" in text


def test_holder_compliance_page_lists_reasons_and_reminders(app, client, users):
    with app.app_context():
        holder, _ = _overdue_driver("W1")
        db.session.commit()
        run_job("expiry_scan", TODAY)
        holder_id = holder.id
    login(client, users["officer"])
    page = client.get(f"/training/holders/{holder_id}/compliance").get_data(as_text=True)
    assert "Not compliant" in page and "DBS update service status check" in page
    assert "Overdue: " in page  # the queued reminder is listed


def test_admin_sees_job_runs(app, client, users):
    with app.app_context():
        run_job("expiry_scan", dt.date(2026, 1, 5))
    login(client, users["admin"])
    page = client.get("/training/jobs").get_data(as_text=True)
    assert "expiry_scan" in page and "5 January 2026" in page and "Succeeded" in page


def test_jobs_run_command_runs_for_a_date(app, ctx):
    result = app.test_cli_runner().invoke(args=["jobs", "run", "expiry_scan", "--today", "2026-01-05"])
    assert result.exit_code == 0, result.output
    assert "expiry_scan for 2026-01-05: succeeded" in result.output
    assert app.test_cli_runner().invoke(args=["jobs", "run", "nope"]).exit_code != 0
    assert "send_reminders" in app.test_cli_runner().invoke(args=["jobs", "list"]).output
    assert db.session.scalar(sa.select(JobRun.run_for)) == dt.date(2026, 1, 5)


def test_two_jobs_run_processes_at_once_send_each_reminder_once(app, ctx, database_url):
    for n in range(6):
        _overdue_driver(f"X{n}")
    db.session.commit()
    controller, inbox = start_smtp()
    try:
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        env = dict(os.environ, LICENSING_ENV="testing", DATABASE_URL=database_url, FLASK_APP="wsgi",
                   SMTP_HOST="127.0.0.1", SMTP_PORT=str(controller.port), MAIL_FROM="licensing@council.example")
        flask = [sys.executable, "-m", "flask", "jobs", "run"]
        today = ["--today", TODAY.isoformat()]
        scans = [subprocess.Popen([*flask, "expiry_scan", *today], cwd=root, env=env) for _ in range(2)]
        assert [p.wait(120) for p in scans] == [0, 0]
        senders = [subprocess.Popen([*flask, "send_reminders", *today], cwd=root, env=env) for _ in range(2)]
        assert [p.wait(120) for p in senders] == [0, 0]
    finally:
        controller.stop()
    queued = db.session.scalar(sa.select(sa.func.count(OutboundEmail.id)))
    assert queued >= 6 and len(inbox.messages) == queued
    keys = [content.split("X-Licensing-Key: ")[1].splitlines()[0] for _, content in inbox.messages]
    assert len(set(keys)) == len(keys)


def test_an_invalid_queue_filter_is_shown_not_a_server_error(app, client, users):
    login(client, users["officer"])
    response = client.get("/training/queue?licence_type=bogus&days_left=x")
    assert response.status_code == 200


def test_the_scheduler_registers_every_job_with_one_instance_each(app):
    from apscheduler.schedulers.background import BackgroundScheduler

    from licensing.jobs import jobs
    from licensing.jobs.scheduler import build_scheduler

    scheduler = build_scheduler(app, BackgroundScheduler)
    registered = {job.id: job for job in scheduler.get_jobs()}
    assert set(registered) == set(jobs()) == {"expiry_scan", "send_reminders", "retention",
                                                          "enforcement_effects"}
    assert all(job.max_instances == 1 for job in registered.values())

"""The training pages, the work queue, bulk suspension with notice letters, job runs and the CLI."""

import datetime as dt
import io
import os
import re
import subprocess
import sys

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from licensing.extensions import db
from licensing.jobs.runner import run_job
from licensing.models import (
    ActionKind,
    ActionStatus,
    AuditEvent,
    Booking,
    BookingStatus,
    CaseOrigin,
    CaseState,
    ComplianceFlag,
    EnforcementAction,
    FlagStatus,
    JobRun,
    Licence,
    LicenceStatus,
    OutboundEmail,
    ProposalStatus,
    ReviewCase,
    SuspensionProposal,
    TrainingSession,
    flag_cases,
)
from licensing.policy.service import deemed_served_on
from licensing.text import govuk_date
from tests.conftest import login
from tests.support.pdf import pdf_text
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


def _queue_drivers():
    """A driver with every check overdue (L-Q1) and a hackney carriage driver due to renew (L-Q2), scanned."""
    _overdue_driver("Q1")
    make_driver("Q2", issued_on=TODAY - dt.timedelta(days=10), expires_on=TODAY + dt.timedelta(days=20),
                licence_type="hackney_carriage_driver")
    db.session.commit()
    run_job("expiry_scan", TODAY)


def test_work_queue_filters_and_bulk_actions(app, client, users):
    with app.app_context():
        _queue_drivers()
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
    assert "Enter the reason for the suspensions" in missing_reason.get_data(as_text=True)
    nothing = client.post("/training/suspensions", data={"reason": "Checks <overdue>"})
    assert "Select at least one proposed suspension" in nothing.get_data(as_text=True)
    check = client.post("/training/suspensions", data={"proposal_ids": ids, "reason": "Checks <overdue>"})
    check_page = check.get_data(as_text=True)
    assert check.status_code == 200 and "Check before suspending 2 licences" in check_page
    assert "L-Z1" in check_page and "Checks &lt;overdue&gt;" in check_page and "<overdue>" not in check_page
    with app.app_context():  # nothing is suspended until the officer confirms
        assert set(db.session.scalars(sa.select(Licence.status))) == {LicenceStatus.ACTIVE}
    response = client.post("/training/suspensions",
                           data={"proposal_ids": ids, "reason": "Checks <overdue>", "confirmed": "yes"})
    assert response.status_code == 302 and "/training/suspensions/done" in response.location
    done = client.get(response.location).get_data(as_text=True)
    assert "Licences suspended until compliant" in done and "2 licences suspended" in done
    assert f"/training/suspensions/{ids[0]}/letter.pdf" in done
    served = deemed_served_on("first_class_post", dt.date.today())
    takes_effect = served + dt.timedelta(days=22)  # the day after the 21 days for appealing
    with app.app_context():
        # A suspension for any other reasonable cause: the s.77(2) stay keeps the licence in force
        # until the time to appeal has run.
        assert set(db.session.scalars(sa.select(Licence.status))) == {LicenceStatus.ACTIVE}
        assert set(db.session.scalars(sa.select(SuspensionProposal.status))) == {ProposalStatus.CONFIRMED}
        actions = db.session.scalars(sa.select(EnforcementAction).order_by(EnforcementAction.id)).all()
        assert [(a.kind, a.decision, a.status, a.effective_date, a.end_event, a.served_on) for a in actions] == \
            [(ActionKind.SUSPENSION, "suspension", ActionStatus.PENDING, takes_effect, "compliance", served)] * 2
        assert {p.action_id for p in db.session.scalars(sa.select(SuspensionProposal))} == {a.id for a in actions}
        events = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "suspension.confirmed")).all()
        assert len(events) == 2 and {e.reason for e in events} == {"Checks <overdue>"}
        assert len({e.holder_id for e in events}) == 2
        run_job("enforcement_effects", takes_effect - dt.timedelta(days=1))
        assert set(db.session.scalars(sa.select(Licence.status))) == {LicenceStatus.ACTIVE}
        run_job("enforcement_effects", takes_effect)
        assert set(db.session.scalars(sa.select(Licence.status))) == {LicenceStatus.SUSPENDED}
    twice = client.post("/training/suspensions", data={"proposal_ids": ids, "reason": "again", "confirmed": "yes"})
    assert "already confirmed" in twice.get_data(as_text=True)
    stale_check = client.post("/training/suspensions", data={"proposal_ids": ids, "reason": "again"})
    assert "no longer proposed" in stale_check.get_data(as_text=True)
    letter = client.get(f"/training/suspensions/{ids[0]}/letter.pdf")
    assert letter.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(letter.data)).pages)
    assert "O'Brien <b>&amp; Sons</b>" in text and "Checks <overdue>" in text
    assert "Licence number: L-Z1" in text
    text = pdf_text(letter.data)
    assert "under section 61(1) of the Local Government (Miscellaneous Provisions) Act 1976" in text
    assert f"The last day to appeal is {govuk_date(served + dt.timedelta(days=21))}" in text
    assert f"The suspension takes effect on {govuk_date(takes_effect)}" in text
    assert "section 77(2)" in text and "return your driver's badge to the licensing office within 7 days" in text


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
    assert "Daily compliance scan" in page and "5 January 2026" in page and "Succeeded" in page


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


def test_an_invalid_queue_filter_leaves_the_others_applied_and_the_scan_time_is_shown(app, client, users):
    with app.app_context():
        _queue_drivers()
    login(client, users["officer"])
    page = client.get("/training/queue?licence_type=hackney_carriage_driver&days_left=x").get_data(as_text=True)
    assert "There is a problem" in page and "L-Q2" in page and "L-Q1" not in page
    for path in ("/training/queue", "/training/suspensions"):
        assert "The daily compliance scan last ran" in client.get(path).get_data(as_text=True), path


def test_the_scheduler_registers_every_job_with_one_instance_each(app):
    from apscheduler.schedulers.background import BackgroundScheduler

    from licensing.jobs import jobs
    from licensing.jobs.scheduler import build_scheduler

    scheduler = build_scheduler(app, BackgroundScheduler)
    registered = {job.id: job for job in scheduler.get_jobs()}
    assert set(registered) == set(jobs()) == {"expiry_scan", "send_reminders", "retention",
                                                          "enforcement_effects", "dbs_rechecks", "audit_checkpoint",
                                                          "public_register_snapshot", "store_closed_quarters",
                                                          "remove_expired_exports", "deliver_webhooks"}
    assert all(job.max_instances == 1 for job in registered.values())


def test_open_case_from_the_queue_once_per_item_audited(app, client, users):
    with app.app_context():
        _overdue_driver("C1")
        _overdue_driver("C2")
        db.session.commit()
        run_job("expiry_scan", TODAY)
        flags = db.session.execute(sa.select(ComplianceFlag.id, ComplianceFlag.holder_id, ComplianceFlag.requirement)
                                   .where(ComplianceFlag.requirement == "medical_group2")
                                   .order_by(ComplianceFlag.id)).all()
    assert len(flags) == 2
    login(client, users["officer"])
    response = client.post("/training/queue", data={"flag_ids": [f.id for f in flags], "action": "case"})
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "2 review cases opened: RC-" in page
    assert "govuk-notification-banner--success" in page  # done: the green banner, not "Important"
    with app.app_context():
        cases = db.session.scalars(sa.select(ReviewCase).order_by(ReviewCase.id)).all()
        assert [c.origin for c in cases] == [CaseOrigin.COMPLIANCE] * 2
        assert [c.holder_id for c in cases] == [f.holder_id for f in flags]
        assert all("Group 2 medical for licence L-C" in c.summary and "overdue since" in c.summary for c in cases)
        assert [[lic.licence_number for lic in c.licences] for c in cases] == [["L-C1"], ["L-C2"]]
        first_reference = cases[0].reference
        opened = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action.in_(
            ["case.opened", "compliance_flag.case_opened"]))).all()
        assert sorted(opened) == ["case.opened"] * 2 + ["compliance_flag.case_opened"] * 2
    again = client.post("/training/queue", data={"flag_ids": [flags[0].id], "action": "case"}, follow_redirects=True)
    text = again.get_data(as_text=True)
    assert "No new review cases opened." in text and f"Already open, so not opened again: {first_reference}" in text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ReviewCase.id))) == 2
        case = db.session.scalar(sa.select(ReviewCase).where(ReviewCase.reference == first_reference))
        case.state = CaseState.WITHDRAWN  # once that case is finished, a new one may be opened
        db.session.commit()
    client.post("/training/queue", data={"flag_ids": [flags[0].id], "action": "case"})
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ReviewCase.id))) == 3


def test_opening_cases_is_all_or_nothing(app, users):
    """A failure part-way leaves no case and no link: one transaction for the whole selection."""
    from licensing.models import User
    from licensing.reviews.errors import ReviewError
    from licensing.training.operations import open_cases

    with app.app_context():
        _overdue_driver("D1")
        other, _ = _overdue_driver("D2")
        db.session.commit()
        run_job("expiry_scan", TODAY)
        officer = db.session.scalar(sa.select(User).where(User.email == users["officer"]))
        flags = db.session.scalars(sa.select(ComplianceFlag).join(Licence).where(Licence.licence_number == "L-D1")
                                   .order_by(ComplianceFlag.id)).all()
        assert len({f.requirement for f in flags}) >= 2
        flags[-1].holder_id = other.id  # the last item's licence no longer belongs to its holder
        with pytest.raises(ReviewError):
            open_cases(officer, flags, TODAY)
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count(ReviewCase.id))) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(flag_cases)) == 0


def test_officer_works_the_queue_to_a_confirmed_suspension(app, client, users):
    """The journey in plain forms: the queue, the proposed suspensions, the check page, the
    confirmation page, the notice letter."""
    with app.app_context():
        _overdue_driver("J1")
        db.session.commit()
        run_job("expiry_scan", TODAY)
        proposal_id = db.session.scalar(sa.select(SuspensionProposal.id))
    login(client, users["officer"])
    queue = client.get("/training/queue").get_data(as_text=True)
    assert "proposed for suspension until complete" in queue and "L-J1" in queue
    assert 'href="/training/suspensions?status=proposed"' in queue
    proposed = client.get("/training/suspensions?status=proposed").get_data(as_text=True)
    assert f'value="{proposal_id}"' in proposed and 'name="reason"' in proposed
    check = client.post("/training/suspensions", data={"proposal_ids": [proposal_id],
                                                       "reason": "Safeguarding training overdue"})
    assert "Check before suspending 1 licence" in check.get_data(as_text=True)
    done = client.post("/training/suspensions", data={"proposal_ids": [proposal_id], "confirmed": "yes",
                                                      "reason": "Safeguarding training overdue"},
                       follow_redirects=True)
    assert "1 licence suspended" in done.get_data(as_text=True)
    letter = client.get(f"/training/suspensions/{proposal_id}/letter.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(letter.data)).pages)
    assert "Safeguarding training overdue" in text


def test_queue_pages_by_key_with_a_capped_count(app, client, users):
    with app.app_context():
        for n in range(9):
            _overdue_driver(f"P{n}")
        db.session.commit()
        run_job("expiry_scan", TODAY)
        expected = db.session.scalar(sa.select(sa.func.count(ComplianceFlag.id)))
    app.config["PAGE_SIZE"] = 10
    login(client, users["officer"])
    seen, url, pages = [], "/training/queue", 0
    while url:
        page = client.get(url).get_data(as_text=True)
        assert f"{expected} items" in page
        seen += [int(v) for v in re.findall(r'name="flag_ids" type="checkbox" value="(\d+)"', page)]
        match = re.search(r'href="([^"]+after=[^"]+)" rel="next"', page)
        url = match.group(1).replace("&amp;", "&") if match else None
        pages += 1
    assert pages > 1 and len(seen) == len(set(seen)) == expected  # every item once, across pages
    back = re.search(r'href="([^"]+before=[^"]+)" rel="prev"', page)
    previous = client.get(back.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert 'rel="next"' in previous and 'name="flag_ids"' in previous

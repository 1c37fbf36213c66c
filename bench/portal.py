"""The licence holder's own service at scale (run by bench/run.py on the whole population):

- the holder's "what I need to do" page for holders across the register, beside its SQL floor;
- a day of online applications as Wolverhampton receives them (about 65 new private hire driver
  applications, each with its four uploads), sent through the portal's operations, then every
  upload verified in the officers' queue; the officers' queue pages are timed with the day's
  work waiting, and the officers' holder page before and after, to show it is not slowed.
"""

import datetime as dt
import hashlib
import time

import sqlalchemy as sa

from licensing.extensions import db

DAY_OF_APPLICATIONS = 65  # Wolverhampton: 16,381 private hire driver applications a year, / 250 working days
UPLOAD_BYTES = 200_000  # a scanned certificate
NO_PASSWORD = "!"  # noqa: S105 - no password hash matches it: these accounts are signed in by session only
ANSWERS = {
    "about_you": {"first_name": "Bench", "last_name": "Applicant", "date_of_birth": "1985-03-02",
                  "address": "1 Bench Street", "postcode": "BE1 1NC", "phone": "07700 900000"},
    "driving_licence": {"dvla_licence_number": "APPLI853025B99AB", "dvla_check_code": "Ab12Cd34"},
    "convictions": {"has_convictions": "no"},
    "dbs": {"dbs_update_service": "yes", "dbs_certificate_number": "001234567890", "dbs_consent": True},
}


def _pdf(n):
    body = b"%PDF-1.4\n" + (f"% bench document {n}\n".encode() * (UPLOAD_BYTES // 24))
    return body + b"trailer<<>>\n%%EOF\n"


def _holder_clients(app, holder_ids):
    """A signed-in test client for each holder's own online account (made here, linked)."""
    from licensing.models import PortalAccount
    from licensing.portal.access import SESSION_KEY

    clients = []
    with app.app_context():
        accounts = []
        for holder_id in holder_ids:
            account = PortalAccount(email=f"bench-holder-{holder_id}@example.com", name="Bench Holder",
                                    password_hash=NO_PASSWORD, holder_id=holder_id)
            db.session.add(account)
            accounts.append(account)
        db.session.commit()
        tokens = [account.session_token for account in accounts]
        db.session.remove()
    for token in tokens:
        client = app.test_client()
        with client.session_transaction() as session:
            session[SESSION_KEY] = {"token": token, "login_at": time.time(), "seen_at": time.time()}
        clients.append(client)
    return clients


def _send_a_day_of_applications(app, count):
    """`count` applicants each apply online with every document; seconds per application."""
    from licensing.models import PortalAccount
    from licensing.policy.online_applications import rules_on
    from licensing.portal import applications

    seconds = []
    for n in range(count):
        start = time.perf_counter()
        with app.test_request_context():
            account = PortalAccount(email=f"bench-applicant-{n}@example.com", name=f"Bench Applicant {n}",
                                    password_hash=NO_PASSWORD)
            db.session.add(account)
            db.session.flush()
            application = applications.start_application(account, "private_hire_driver")
            db.session.flush()
            for section, values in ANSWERS.items():
                values = dict(values)
                if section == "driving_licence":
                    values["dvla_licence_number"] = f"APPLI853025B{n:02d}AB"
                applications.save_section(application, section, values)
            for k, document in enumerate(rules_on(dt.date.today()).documents_for(application.licence_type)):
                content = _pdf(n * 10 + k)
                applications.attach_document(application, document.code, (
                    content, "application/pdf", f"{document.code}.pdf", hashlib.sha256(content).hexdigest()))
            applications.submit_application(application, declared=True)
            db.session.commit()
            db.session.remove()
        seconds.append(time.perf_counter() - start)
    return seconds


def _verify_every_upload(app, officer_email):
    """The officer accepts each waiting upload; seconds per upload."""
    from licensing.models import SubmissionStatus, SubmittedEvidence, User
    from licensing.portal import evidence

    with app.app_context():
        ids = db.session.scalars(sa.select(SubmittedEvidence.id).where(
            SubmittedEvidence.status == SubmissionStatus.SUBMITTED,
            SubmittedEvidence.online_application_id.is_not(None)).order_by(SubmittedEvidence.id)).all()
        db.session.remove()
    results = {"dbs_enhanced": "clear", "photo": "accepted"}
    seconds = []
    for submission_id in ids:
        start = time.perf_counter()
        with app.test_request_context():
            officer = db.session.execute(sa.select(User).filter_by(email=officer_email)).scalar_one()
            submission = db.session.get(SubmittedEvidence, submission_id)
            today = dt.date.today()
            evidence.accept_evidence(officer, submission, {
                "result": results.get(submission.requirement, "pass"), "completed_on": today,
                "expires_on": None if submission.requirement == "right_to_work" else today + dt.timedelta(days=365),
                "reference": None})
            db.session.commit()
            db.session.remove()
        seconds.append(time.perf_counter() - start)
    return seconds


def measure_portal(app, officer_client, officer_email, rng, rounds, timed, p95_ms, floor_statements, get, Row):
    """The rows for the holder's own service (see the module's docstring)."""
    from licensing.models import Licence

    with app.app_context():
        holder_ids = sorted(set(db.session.scalars(
            sa.select(Licence.holder_id).order_by(sa.func.random()).limit(60)).all()))[:40]
        floor = floor_statements(
            [f"SELECT * FROM licences WHERE holder_id = {int(i)}" for i in holder_ids]  # noqa: S608
            + [f"SELECT * FROM compliance_checks WHERE holder_id = {int(i)}" for i in holder_ids],  # noqa: S608
            max(1, rounds // 2))
        officer_ids = [rng.choice(holder_ids) for _ in range(20)]
        db.session.remove()
    rows = []
    clients = _holder_clients(app, holder_ids)
    home = timed(lambda c: get(c, "/account/"), clients, max(1, rounds // 2))
    rows.append(Row("holder's own page GET /account/ (what I need to do) p95", p95_ms(home), "ms", p95_ms(floor),
                    "< 100 ms", p95_ms(home) < 100))

    def officer_pages():
        return timed(lambda i: get(officer_client, f"/holders/{i}"), officer_ids, max(1, rounds // 2))

    before = p95_ms(officer_pages())
    sent = _send_a_day_of_applications(app, DAY_OF_APPLICATIONS)
    rows.append(Row(f"a day's online applications ({DAY_OF_APPLICATIONS}, 4 uploads each) sent, total",
                    sum(sent), "s", None, "< 60 s", sum(sent) < 60,
                    note=f"p95 {p95_ms(sent):.0f} ms each"))
    queues = timed(lambda path: get(officer_client, path), ["/holders/online-applications",
                                                            "/holders/online-documents"] * 5, rounds)
    rows.append(Row("officers' online queues GET /holders/online-applications, -documents p95", p95_ms(queues), "ms",
                    None, "< 100 ms", p95_ms(queues) < 100))
    verified = _verify_every_upload(app, officer_email)
    rows.append(Row(f"every upload verified ({len(verified)}) p95 each", p95_ms(verified), "ms", None, "< 100 ms",
                    p95_ms(verified) < 100, note=f"total {sum(verified):.1f} s"))
    after = p95_ms(officer_pages())
    rows.append(Row("officers' holder page after the day's online work p95", after, "ms", before,
                    "< 100 ms, ≤ 1.25 × before", after < 100 and after <= before * 1.25,
                    note=f"before: {before:.1f} ms"))
    return rows

"""`make bench`: the whole benchmark on a throwaway PostgreSQL, printed as one table.

    .venv/bin/python -m bench.run                   # London: 150,000 drivers, 3,000 operators
    .venv/bin/python -m bench.run --holders 15000   # any size (1 in 60 an operator)
    .venv/bin/python -m bench.run --growth          # 1,500, 15,000 and 150,000 drivers, side by side

Starts its own PostgreSQL (tests/support/postgres.py, fsync off), migrates, generates the
population with `flask demo-data`'s generator, then measures each figure beside its floor taken
in the same run: the equivalent single SQL statement for database-bound work, and a trivial
signed-in endpoint for HTTP. HTTP load runs on loopback only, against a gunicorn this script
starts (2 workers x 2 threads), with 16 keep-alive clients for a fixed time.
"""

import argparse
import datetime as dt
import logging
import os
import random
import signal
import statistics
import sys
import threading
import time
from dataclasses import dataclass

import sqlalchemy as sa
from flask_migrate import upgrade

from bench.hearings import measure_hearing_pages
from bench.http_load import Client, answered, run_load
from bench.portal import measure_portal
from bench.reports_http import measure_report_http, store_closed_quarter
from licensing import create_app
from licensing.extensions import db
from licensing.reports.periods import Quarter
from tests.support.postgres import TemporaryPostgres, _free_port
from tests.support.servers import start_gunicorn, stop_gunicorn, worker_rss_mb

TODAY = dt.date(2026, 6, 1)
PASSWORD = "benchmark password 1"  # noqa: S105 - throwaway local database
HTTP_CLIENTS = 16
# Two threads a worker: the pages are CPU-bound Python and PostgreSQL shares the two cores, so
# more threads only queue for the interpreter lock (4 threads: about 130 requests/s against 165).
HTTP_THREADS = 2
GROWTH_SIZES = (1_500, 15_000, 150_000)  # drivers, with London's proportions: the largest is London
LONDON = {"people": 150_000, "operators": 3_000, "vehicle_share": 0.8}


def london_like(drivers):
    return {"people": drivers, "operators": max(drivers // 50, 1), "vehicle_share": 0.8}


@dataclass
class Row:
    name: str
    value: float | None  # milliseconds or seconds, as `unit` says
    unit: str
    floor: float | None = None
    target: str = ""
    passed: bool | None = None
    note: str = ""

    @property
    def ratio(self):
        if self.value is None or not self.floor:
            return None
        return self.value / self.floor


def percentile(samples, p):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed(fn, items, rounds=1, warm=True):
    """Seconds per call of fn(item), over `rounds` passes (after one warm-up pass)."""
    if warm:
        for item in items:
            fn(item)
    samples = []
    for _ in range(rounds):
        for item in items:
            start = time.perf_counter()
            fn(item)
            samples.append(time.perf_counter() - start)
    return samples


def sql_floor(statement, params_list, rounds=1):
    """One SQL statement per item on a raw connection, fetching every row: the floor."""
    connection = db.engine.raw_connection()
    try:
        cursor = connection.cursor()

        def run(params):
            cursor.execute(statement, params)
            cursor.fetchall()

        return timed(run, params_list, rounds)
    finally:
        connection.close()


def p95_ms(samples):
    return percentile(samples, 95) * 1000


# ---------------------------------------------------------------------------------------------
# Setting up


def build_population(app, population, seed=2015):
    from licensing.demo.council import build_demo_council, ensure_demo_users
    from licensing.reviews.operations.guidance import ensure_bundled_edition

    with app.app_context():
        ensure_demo_users()
        ensure_bundled_edition(None)
        db.session.commit()
        start = time.perf_counter()
        counts = build_demo_council(**population, seed=seed, today=TODAY, progress=_progress)
        db.session.commit()
        seconds = time.perf_counter() - start
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    return counts, seconds


def _progress(label, total):
    import click

    return click.progressbar(length=max(total, 1), label=f"{label:<38}", file=sys.stderr, show_pos=True)


def bench_users(app, count=HTTP_CLIENTS):
    """Officers with an authenticator each (a code is accepted once per account)."""
    import pyotp

    from licensing.auth.passwords import hash_password
    from licensing.models import Role, User

    with app.app_context():
        password_hash = hash_password(PASSWORD)
        users = []
        for n in range(count):
            email = f"bench{n}@example.gov.uk"
            user = db.session.execute(sa.select(User).filter_by(email=email)).scalar_one_or_none()
            if user is None:
                user = User(email=email, name=f"Bench Officer {n}", role=Role.OFFICER, has_clearance=True,
                            password_hash=password_hash, totp_secret=pyotp.random_base32(),
                            totp_confirmed_at=dt.datetime(2026, 1, 1))
                db.session.add(user)
            users.append(user)
        db.session.commit()
        return [(u.email, u.totp_secret, u.id) for u in users]


def _code(secret, ahead=0):
    import pyotp

    return pyotp.TOTP(secret).at(time.time() + ahead)


def signed_in_test_client(app, email, secret):
    client = app.test_client()
    client.post("/auth/login", data={"email": email, "password": PASSWORD})
    response = client.post("/auth/two-factor", data={"code": _code(secret)})
    assert response.status_code == 302 and response.location.endswith("/home"), (response.status_code,
                                                                                 response.location)
    return client


def sample_terms(rng, n=20):
    """Search terms as officers type them: surnames, parts of names, references, badges, plates."""
    from licensing.models import LicenceHolder, Vehicle

    names = db.session.execute(sa.select(LicenceHolder.first_name, LicenceHolder.last_name)
                               .where(LicenceHolder.last_name.is_not(None)).limit(2000)).all()
    plates = db.session.scalars(sa.select(Vehicle.registration).limit(500)).all()
    count = db.session.scalar(sa.select(sa.func.count()).select_from(LicenceHolder))
    terms = []
    for _ in range(n):
        first, last = rng.choice(names)
        kind = rng.randrange(7)
        terms.append([last, f"{first} {last}", last[1:5].lower(), f"DRV{rng.randrange(1, count):06d}",
                      f"DL{rng.randrange(1, count):06d}", rng.choice(plates) if plates else last,
                      f"B{rng.randrange(1, count):06d}"][kind])
    return terms


# ---------------------------------------------------------------------------------------------
# In-process measurements (warm, server-side)


def measure_pages(app, user, rng, rounds):
    """Search, holder page, case list and work queue: the page through the Flask test client
    (each request in its own application context, as in a server), and the query function where
    one exists, each beside its SQL floor."""
    from bench.expiry_scan import QUEUE_FLOOR_SQL, QUEUE_URLS
    from bench.register import _compiled, _holder_page_sql
    from licensing.holders.queries.search import search_holders
    from licensing.models import LicenceHolder, ReviewCase

    rows = []
    email, secret, _user_id = user
    states = [None, "open", "investigating", "closed", None]
    page_numbers = [1, 1, 2, 1, 40]
    with app.app_context():
        terms = sample_terms(rng)
        floor = _floor_statements([_holder_page_sql(t) for t in terms], rounds)
        fn = timed(lambda t: search_holders(t, per_page=25), terms, rounds)
        max_id = db.session.scalar(sa.select(sa.func.max(LicenceHolder.id)))
        ids = [rng.randrange(1, max_id + 1) for _ in range(40)]
        one_holder = sa.select(LicenceHolder.__table__).where(LicenceHolder.id == sa.bindparam("i"))
        holder_floor = _floor_statements([_compiled(one_holder.params(i=i)) for i in ids], max(1, rounds // 2))
        list_sql = [_compiled(sa.select(ReviewCase.__table__).where(
            *([ReviewCase.state == states[k]] if states[k] else [])).order_by(ReviewCase.id.desc())
            .limit(25).offset((page_numbers[k] - 1) * 25)) for k in range(len(states))]
        list_floor = _floor_statements(list_sql, rounds)
        officer = db.session.scalar(sa.select(ReviewCase.assigned_officer_id)
                                    .where(ReviewCase.assigned_officer_id.is_not(None)).limit(1))
        unfinished = "state NOT IN ('closed', 'withdrawn')"
        queue_sql = (
            f"(SELECT * FROM review_cases WHERE {unfinished} AND assigned_officer_id = {int(officer or 0)} "  # noqa: S608
            f"ORDER BY due_on, id LIMIT 25) UNION ALL "
            f"(SELECT * FROM review_cases WHERE {unfinished} AND assigned_officer_id IS NULL "
            f"ORDER BY due_on, id LIMIT 25) UNION ALL "
            f"(SELECT * FROM review_cases WHERE {unfinished} AND due_on < DATE '{dt.date.today().isoformat()}' "
            f"ORDER BY due_on, id LIMIT 25)")
        queue_floor = _floor_statements([queue_sql] * 10, rounds)
        flags_floor = _floor_statements([QUEUE_FLOOR_SQL] * len(QUEUE_URLS), max(1, rounds // 2))
        officer_secret = _officer_login(officer)
        # The decision page for licences with an application waiting (else any licence), and the
        # queue of notices waiting for service.
        from licensing.models import ApplicationOutcome, Licence, LicenceApplication
        waiting = list(db.session.scalars(sa.select(LicenceApplication.licence_id).where(
            LicenceApplication.outcome == ApplicationOutcome.PENDING).order_by(LicenceApplication.id).limit(20)))
        waiting = waiting or list(db.session.scalars(sa.select(Licence.id).order_by(Licence.id).limit(20)))
        decision_floor = _floor_statements(
            [f"SELECT * FROM licences WHERE id = {int(i)}" for i in waiting]  # noqa: S608
            + [f"SELECT * FROM licence_applications WHERE licence_id = {int(i)} AND outcome = 'pending'"  # noqa: S608
               for i in waiting], max(1, rounds // 2))
        unserved_floor = _floor_statements(
            ["SELECT * FROM enforcement_actions WHERE service_recorded_on IS NULL AND status <> 'cancelled' "
             "ORDER BY notice_date, id LIMIT 25"] * 10, rounds)
        # The record of decisions for a quarter: its three sources read once each.
        record_period = {"from": (TODAY - dt.timedelta(days=91)).isoformat(), "to": TODAY.isoformat()}
        between = f"BETWEEN '{record_period['from']}' AND '{record_period['to']}'"
        record_floor = _floor_statements([
            f"SELECT * FROM hearing_decisions WHERE decision_date {between}",  # noqa: S608
            f"SELECT * FROM enforcement_actions WHERE origin = 'officer' AND decision_date {between}",  # noqa: S608
            f"SELECT * FROM application_decisions WHERE decided_on {between}"], max(1, rounds // 2))  # noqa: S608
        db.session.remove()

    rows.append(Row("search (query function) p95", p95_ms(fn), "ms", p95_ms(floor), "< 50 ms", p95_ms(fn) < 50))
    client = signed_in_test_client(app, email, secret)
    logging.getLogger("licensing").setLevel(logging.WARNING)  # request logs would be timed too
    page = timed(lambda t: _get(client, "/holders/", q=t), terms, rounds)
    rows.append(Row("search page GET /holders/?q= p95", p95_ms(page), "ms", p95_ms(floor), "< 50 ms",
                    p95_ms(page) < 50))
    holder_pages = timed(lambda i: _get(client, f"/holders/{i}"), ids, max(1, rounds // 2))
    rows.append(Row("holder page GET /holders/<id> p95", p95_ms(holder_pages), "ms", p95_ms(holder_floor),
                    "< 100 ms", p95_ms(holder_pages) < 100))
    case_list = timed(lambda k: _get(client, "/reviews/cases", **_params(states[k], page_numbers[k])),
                      range(len(states)), rounds)
    rows.append(Row("case list GET /reviews/cases p95", p95_ms(case_list), "ms", p95_ms(list_floor),
                    "< 100 ms", p95_ms(case_list) < 100))
    queue_client = signed_in_test_client(app, *officer_secret) if officer_secret else client
    queue = timed(lambda _k: _get(queue_client, "/reviews/"), range(10), rounds)
    rows.append(Row("officer work queue GET /reviews/ p95", p95_ms(queue), "ms", p95_ms(queue_floor),
                    "< 100 ms", p95_ms(queue) < 100))
    flags_queue = timed(lambda url: _get(queue_client, url), QUEUE_URLS, max(1, rounds // 2))
    rows.append(Row("compliance work queue GET /training/queue p95", p95_ms(flags_queue), "ms",
                    p95_ms(flags_floor), "< 100 ms", p95_ms(flags_queue) < 100))
    decision = timed(lambda i: _get(queue_client, f"/holders/licences/{i}/decision"), waiting, max(1, rounds // 2))
    rows.append(Row("decision page GET /holders/licences/<id>/decision p95", p95_ms(decision), "ms",
                    p95_ms(decision_floor), "< 100 ms", p95_ms(decision) < 100))
    unserved = timed(lambda _k: _get(queue_client, "/revocations/unserved"), range(10), rounds)
    rows.append(Row("notices waiting for service GET /revocations/unserved p95", p95_ms(unserved), "ms",
                    p95_ms(unserved_floor), "< 100 ms", p95_ms(unserved) < 100))
    full_record = timed(lambda _k: _get(client, "/reports/decisions", **record_period), range(3),
                        max(1, rounds // 2))
    rows.append(Row("record of decisions GET /reports/decisions (a quarter) p95", p95_ms(full_record), "ms",
                    p95_ms(record_floor), "< 500 ms", p95_ms(full_record) < 500))
    anonymous = app.test_client()
    public_record = timed(lambda _k: _get(anonymous, "/public-register/decisions/", **record_period), range(3),
                          max(1, rounds // 2))
    rows.append(Row("published record of decisions GET /public-register/decisions/ p95", p95_ms(public_record),
                    "ms", p95_ms(record_floor), "< 500 ms", p95_ms(public_record) < 500))
    rows += measure_hearing_pages(app, client, rounds, timed, p95_ms, _floor_statements, _get, Row)
    rows += measure_portal(app, client, email, rng, rounds, timed, p95_ms, _floor_statements, _get, Row)
    return rows


def _params(state, page):
    params = {"page": page}
    if state:
        params["state"] = state
    return params


def _officer_login(user_id):
    """Give an existing officer (one with cases) a known password and a fresh authenticator, so the
    work queue is measured as that officer sees it (throwaway data). Returns (email, secret)."""
    import pyotp

    from licensing.auth.passwords import hash_password
    from licensing.models import User

    user = db.session.get(User, user_id) if user_id else None
    if user is None:
        return None
    user.password_hash = hash_password(PASSWORD)
    user.totp_secret, user.totp_confirmed_at = pyotp.random_base32(), dt.datetime(2026, 1, 1)
    db.session.commit()
    return user.email, user.totp_secret


def _floor_statements(statements, rounds):
    connection = db.engine.raw_connection()
    try:
        cursor = connection.cursor()

        def run(sql):
            cursor.execute(sql)
            cursor.fetchall()

        return timed(run, statements, rounds)
    finally:
        connection.close()


def _get(client, path, **params):
    response = client.get(path, query_string=params) if params else client.get(path)
    assert answered(response.status_code, response.location), (path, response.status_code, response.location)
    return response


def measure_expiry_scan(app):
    from bench.expiry_scan import floor_counts
    from licensing.jobs.runner import run_job

    rows = []
    with app.app_context():
        params = {"today": TODAY}
        start = time.perf_counter()
        floor_counts(params)
        floor = time.perf_counter() - start
        start = time.perf_counter()
        first = run_job("expiry_scan", TODAY)
        first_s = time.perf_counter() - start
        start = time.perf_counter()
        second = run_job("expiry_scan", TODAY)
        second_s = time.perf_counter() - start
        start = time.perf_counter()
        floor_counts(params)
        floor = min(floor, time.perf_counter() - start)
        created = (first.counts or {}).get("flags_created")
        rows.append(Row("expiry scan, first run (creates flags, queues e-mails)", first_s, "s", floor, "",
                        None, f"{created:,} flags" if created is not None else str(first.status)))
        ok = second.status.value == "succeeded" and (second.counts or {}).get("flags_created") == 0
        rows.append(Row("expiry scan, daily re-run", second_s, "s", floor, "< 10 s, <= 2x floor",
                        ok and second_s < 10 and second_s <= 2 * floor))
        db.session.remove()
    return rows


QUARTER_SQL = """
SELECT
  (SELECT count(*) FROM licence_applications WHERE received_on BETWEEN :start AND :end),
  (SELECT count(*) FROM licence_applications WHERE decided_on BETWEEN :start AND :end),
  (SELECT count(*) FROM review_cases WHERE opened_at >= :start AND opened_at < CAST(:end AS date) + 1),
  (SELECT count(*) FROM review_cases WHERE closed_at >= :start AND closed_at < CAST(:end AS date) + 1),
  (SELECT count(*) FROM hearing_decisions WHERE decision_date BETWEEN :start AND :end),
  (SELECT count(*) FROM enforcement_actions WHERE decision_date BETWEEN :start AND :end),
  (SELECT count(*) FROM complaints WHERE received_on BETWEEN :start AND :end),
  (SELECT count(*) FROM licences WHERE status IN ('active', 'suspended'))
"""


def quarterly_report(start, end):
    """Stand-in while the product has no quarterly report: the quarter's figures through the
    models, one query per figure (bench/reports.py's report is used where it exists)."""
    from licensing.models import (
        Complaint,
        EnforcementAction,
        HearingDecision,
        Licence,
        LicenceApplication,
        ReviewCase,
    )

    def count(model, *where):
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))

    upper = end + dt.timedelta(days=1)
    return [
        count(LicenceApplication, LicenceApplication.received_on.between(start, end)),
        count(LicenceApplication, LicenceApplication.decided_on.between(start, end)),
        count(ReviewCase, ReviewCase.opened_at >= start, ReviewCase.opened_at < upper),
        count(ReviewCase, ReviewCase.closed_at >= start, ReviewCase.closed_at < upper),
        count(HearingDecision, HearingDecision.decision_date.between(start, end)),
        count(EnforcementAction, EnforcementAction.decision_date.between(start, end)),
        count(Complaint, Complaint.received_on.between(start, end)),
        count(Licence, Licence.status.in_(("active", "suspended"))),
    ]


def _report_and_floor():
    """(report function, floor function, label): the product's quarterly compliance report and
    its hand-written SQL aggregate from bench/reports.py where they exist, else the stand-in."""
    try:
        from bench import reports
    except ImportError:
        reports = None
    if reports is not None and hasattr(reports, "_report_figures") and hasattr(reports, "_sql_figures"):
        return reports._report_figures, reports._sql_figures, f"quarterly report {reports.QUARTER.name}"
    start, end = dt.date(2026, 1, 1), dt.date(2026, 3, 31)
    return (lambda: quarterly_report(start, end),
            lambda: db.session.execute(sa.text(QUARTER_SQL), {"start": start, "end": end}).all(),
            "quarterly report (stand-in counts)")


def _closed_quarter():
    """The quarter the report benchmark computes (bench/reports.py), closed by now."""
    try:
        from bench.reports import QUARTER
    except ImportError:
        QUARTER = None
    return QUARTER or Quarter.containing(TODAY).previous()


def measure_quarterly_report(app):
    with app.app_context():
        report, floor_fn, label = _report_and_floor()
        seconds = min(timed(lambda _i: report(), range(2), 1))  # warm run, then best of two
        floor = min(timed(lambda _i: floor_fn(), range(2), 1))
        db.session.remove()
    return [Row(label, seconds, "s", floor, "< 5 s, <= 2x floor", seconds < 5 and seconds <= 2 * floor)]


def measure_documents(app):
    from licensing.hearings import queries as hearing_queries
    from licensing.hearings.bundles import sections
    from licensing.hearings.decisions import decision_letter_data
    from licensing.letters.bundle import build_bundle
    from licensing.letters.decision import build_decision_letter
    from licensing.models import HearingDecision, HearingListing

    rows = []
    with app.app_context():
        listings = db.session.execute(sa.select(HearingListing).order_by(HearingListing.id.desc()).limit(20)
                                      ).scalars().all()
        listing_ids = [listing.id for listing in listings]

        def bundle_pdf():
            parts = []
            for listing in listings:
                parts.extend(sections(hearing_queries.bundle(listing, TODAY)))
            return build_bundle(f"Hearing bundle: {len(listings)} cases", parts)

        bundle_pdf()  # warm (fonts, styles)
        db.session.expire_all()
        began = time.perf_counter()
        pdf = bundle_pdf()
        bundle_s = time.perf_counter() - began
        bundle_sql = (
            "SELECT l.id, c.*, h.*, v.*, a.* FROM hearing_listings l JOIN review_cases c ON c.id = l.case_id "
            "JOIN licence_holders h ON h.id = c.holder_id LEFT JOIN convictions v ON v.holder_id = h.id "
            "LEFT JOIN enforcement_actions a ON a.holder_id = h.id WHERE l.id = ANY(%s)")
        bundle_floor = min(sql_floor(bundle_sql, [(listing_ids,)], 3))
        rows.append(Row(f"hearing bundle PDF ({len(listings)} cases, {len(pdf) // 1024} KB)", bundle_s, "s",
                        bundle_floor, "< 3 s", bundle_s < 3))

        decisions = db.session.execute(sa.select(HearingDecision).order_by(HearingDecision.id).limit(1000)
                                       ).scalars().all()
        build_decision_letter(decision_letter_data(decisions[0].listing, decisions[0]))  # warm
        db.session.expire_all()
        samples = []
        began = time.perf_counter()
        for decision in decisions:
            start = time.perf_counter()
            build_decision_letter(decision_letter_data(decision.listing, decision))
            samples.append(time.perf_counter() - start)
        total = time.perf_counter() - began
        letters_sql = (
            "SELECT d.*, l.*, g.*, c.*, h.* FROM hearing_decisions d JOIN hearing_listings l ON l.id = d.listing_id "
            "JOIN hearings g ON g.id = l.hearing_id JOIN review_cases c ON c.id = l.case_id "
            "JOIN licence_holders h ON h.id = c.holder_id WHERE d.id = ANY(%s)")
        letters_floor = min(sql_floor(letters_sql, [([d.id for d in decisions],)], 3))
        median_ms = statistics.median(samples) * 1000
        rows.append(Row("decision letter, median", median_ms, "ms", letters_floor * 1000 / len(decisions),
                        "< 20 ms", median_ms < 20))
        rows.append(Row("decision letters, 1,000 (or as many as there are)", total, "s", letters_floor,
                        "< 20 s for 1,000", total < 20 * len(decisions) / 1000, f"{len(decisions):,} letters"))
        db.session.remove()
    return rows


# ---------------------------------------------------------------------------------------------
# HTTP on gunicorn


ANONYMOUS_CSV_CLIENTS = 16  # the security review's denial-of-service run: 16 clients for 30 s


def _officers_beside_anonymous_csv(port, officers, mixed, seconds):
    """The officers' mix while anonymous clients download the whole public register's CSV (a file
    the scheduler keeps) as fast as they can: (officers' result, the CSV clients' result). The rate
    limits are off for the bench, so every download is served rather than refused."""
    anonymous = [Client(port) for _ in range(ANONYMOUS_CSV_CLIENTS)]
    results = {}
    attack = threading.Thread(target=lambda: results.setdefault(
        "csv", run_load(anonymous, lambda _i, _n: "/public-register/register.csv", max(seconds, 30))))
    attack.start()
    time.sleep(2)  # the downloads are under way before the officers are timed
    results["officers"] = run_load(officers, mixed, seconds)
    attack.join()
    for client in anonymous:
        client.close()
    return results["officers"], results["csv"]


def measure_http(app, url, users, rng, seconds, reports_user=None, closed=None):
    from licensing.models import LicenceHolder, ReviewCase

    with app.app_context():
        terms = sample_terms(rng, 200)
        max_holder = db.session.scalar(sa.select(sa.func.max(LicenceHolder.id)))
        case_ids = db.session.scalars(sa.select(ReviewCase.id).order_by(sa.func.random()).limit(500)).all()
        db.session.remove()
    holder_ids = [rng.randrange(1, max_holder + 1) for _ in range(500)]
    # The mixed officer workload: search, holder pages, case list and case pages, the work queue.
    mix = (["search"] * 3 + ["holder"] * 3 + ["cases"] + ["case"] * 2 + ["queue"])

    def mixed(index, n):
        kind = mix[(index + n) % len(mix)]
        k = index * 7919 + n
        if kind == "search":
            return "/holders/?q=" + terms[k % len(terms)].replace(" ", "+")
        if kind == "holder":
            return f"/holders/{holder_ids[k % len(holder_ids)]}"
        if kind == "cases":
            return f"/reviews/cases?page={1 + k % 5}"
        if kind == "case":
            return f"/reviews/cases/{case_ids[k % len(case_ids)]}"
        return "/reviews/"

    port = _free_port()
    # Every simulated officer signs in from the one loopback address within a second: the sign-in
    # rate limit (10 a minute per address) would refuse them, so it is off for the load.
    server = start_gunicorn(url, port, threads=HTTP_THREADS, extra_env={"RATE_LIMITS": "0"})
    try:
        clients = []
        for email, secret, _id in users:
            client = Client(port)
            # The next step's code: the current one may have been used by the in-process sign-in.
            client.sign_in(email, PASSWORD, lambda s=secret: _code(s, ahead=30))
            clients.append(client)
        trivial = run_load(clients, lambda _i, _n: "/session-status", seconds)
        load = run_load(clients, mixed, seconds)
        under_attack = _officers_beside_anonymous_csv(port, clients, mixed, seconds)
        rss = worker_rss_mb(server.pid)
        for client in clients:
            client.close()
        report_rows = []
        if reports_user is not None:
            # The report pages and downloads, one at a time, as a manager waits for them.
            email, secret, _id = reports_user
            client = Client(port, timeout=180)
            client.sign_in(email, PASSWORD, lambda s=secret: _code(s))
            report_rows = measure_report_http(client, server.pid, closed, Row)
            client.close()
    finally:
        stop_gunicorn(server)
    ratio = load.throughput / trivial.throughput if trivial.throughput else 0
    return report_rows + [
        Row(f"HTTP mixed officer workload, {HTTP_CLIENTS} clients, req/s", load.throughput, "req/s",
            trivial.throughput, ">= 150 req/s, >= 0.4x floor", load.throughput >= 150 and ratio >= 0.4,
            f"{load.requests:,} requests"),
        Row("HTTP mixed workload p95", load.percentile(95), "ms", trivial.percentile(95), "< 150 ms",
            load.percentile(95) < 150),
        Row("HTTP errors (mixed + trivial)", load.errors + trivial.errors, "", None, "0",
            load.errors + trivial.errors == 0, str({**load.statuses}) if load.errors else ""),
        Row(f"Officers' mixed workload p95 while {ANONYMOUS_CSV_CLIENTS} anonymous clients fetch the register CSV",
            under_attack[0].percentile(95), "ms", load.percentile(95), "< 300 ms", under_attack[0].percentile(95) < 300,
            f"{under_attack[1].requests:,} CSV downloads, {under_attack[1].errors} errors"),
        Row("gunicorn worker memory after the run, largest", max(rss) if rss else None, "MB", None,
            "< 300 MB each", bool(rss) and max(rss) < 300, ", ".join(f"{m:.0f}" for m in rss)),
    ]


# ---------------------------------------------------------------------------------------------
# Running and printing


def run_once(server, name, population, http_seconds, rounds, with_http=True, profile_requests=0):
    url = server.create_database(name)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url}, environ={"LICENSING_ENV": "testing"})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    counts, gen_seconds = build_population(app, population)
    rng = random.Random(2015)
    users = bench_users(app, HTTP_CLIENTS + 1)
    users, reports_user = users[:HTTP_CLIENTS], users[HTTP_CLIENTS]
    rows = [Row("generate the population (demo-data)", gen_seconds, "s", None, "< 900 s", gen_seconds < 900,
                f"{counts['holders']:,} holders, {counts['checks']:,} checks, {counts['cases']:,} cases, "
                f"{counts['hearings']:,} hearings")]
    rows += measure_pages(app, users[0], rng, rounds)
    if profile_requests:
        from bench.profile_pages import profile

        # Profiled in this process through the WSGI app, with the last load client's account.
        text = profile(app, signed_in_test_client(app, users[-1][0], users[-1][1]), profile_requests)
        print("\nProfile of the mixed officer workload (cProfile, in process)\n" + text)
        sys.stdout.flush()
    rows += measure_expiry_scan(app)
    rows += measure_quarterly_report(app)
    closed = _closed_quarter()
    rows.append(store_closed_quarter(app, closed, Row))
    rows += measure_documents(app)
    if with_http:
        # The scan has just written about a million rows (flags, e-mails, audit); by the time
        # officers start work autovacuum has dealt with them, so the load is not run against it.
        with app.app_context(), db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
        rows += measure_http(app, url, users, rng, http_seconds, reports_user, closed)
        rows += __import__("bench.api_validity", fromlist=["_"]).measure_api_validity(app, url, http_seconds)
    with app.app_context():
        db.engine.dispose()
    return counts, rows


def _cell(value, unit):
    if value is None:
        return "-"
    if unit in ("s",):
        return f"{value:.2f} s"
    if unit == "ms":
        return f"{value:.1f} ms"
    if unit == "req/s":
        return f"{value:.0f} req/s"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:g}"


def print_table(title, rows, out=sys.stdout):
    print(f"\n{title}", file=out)
    header = f"{'measure':<58}{'value':>14}{'floor':>14}{'ratio':>8}  {'target':<28}{'result':<6}"
    print(header, file=out)
    print("-" * len(header), file=out)
    for row in rows:
        ratio = f"{row.ratio:.1f}x" if row.ratio is not None else "-"
        result = "" if row.passed is None else ("PASS" if row.passed else "MISS")
        print(f"{row.name:<58}{_cell(row.value, row.unit):>14}{_cell(row.floor, row.unit):>14}{ratio:>8}  "
              f"{row.target:<28}{result:<6}{('  ' + row.note) if row.note else ''}", file=out)


def print_growth(results, out=sys.stdout):
    sizes = list(results)
    print("\nGrowth: each figure at each size (holders), and the factor from the smallest to the largest", file=out)
    header = f"{'measure':<58}" + "".join(f"{s:>14,}" for s in sizes) + f"{'growth':>10}"
    print(header, file=out)
    print("-" * len(header), file=out)
    names = [row.name for row in results[sizes[0]]]
    for index, name in enumerate(names):
        values = [results[s][index] if index < len(results[s]) else None for s in sizes]
        cells = "".join(f"{_cell(v.value, v.unit) if v else '-':>14}" for v in values)
        first, last = values[0], values[-1]
        growth = (f"{last.value / first.value:.1f}x" if first and last and first.value and last.value is not None
                  else "-")
        print(f"{name[:57]:<58}{cells}{growth:>10}", file=out)


def _title(counts):
    return (f"Benchmark on PostgreSQL: {counts['holders']:,} holders, {counts['licences']:,} licences, "
            f"{counts['vehicles']:,} vehicles, {counts['checks']:,} checks, {counts['cases']:,} cases, "
            f"{counts['hearings']:,} hearings ({os.cpu_count()} cores, load average "
            f"{os.getloadavg()[0]:.1f} at the end)")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--holders", type=int, help="Holders in all (default: the London population)")
    parser.add_argument("--growth", action="store_true",
                        help="Run at 1,500, 15,000 and 150,000 drivers (London's proportions; the last is London)")
    parser.add_argument("--http-seconds", type=float, default=20, help="Length of each HTTP load run")
    parser.add_argument("--rounds", type=int, default=5, help="Passes over each page mix")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="Also profile N requests of the mixed workload in process (cProfile) and print it")
    args = parser.parse_args(argv)
    logging.getLogger("licensing").setLevel(logging.WARNING)
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(143))  # so the PostgreSQL below is stopped
    server = TemporaryPostgres(fsync=False).start()
    try:
        if args.growth:
            results = {}
            for size in GROWTH_SIZES:
                counts, rows = run_once(server, f"growth{size}", london_like(size), args.http_seconds, args.rounds)
                print_table(_title(counts), rows)
                sys.stdout.flush()
                results[counts["holders"]] = rows
            print_growth(results)
        else:
            population = {"holders": args.holders} if args.holders else LONDON
            counts, rows = run_once(server, "bench", population, args.http_seconds, args.rounds,
                                    profile_requests=args.profile)
            print_table(_title(counts), rows)
    finally:
        server.stop()


if __name__ == "__main__":
    main()

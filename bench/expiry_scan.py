"""Benchmark: the daily expiry scan at 150,000 holders and about 2 million dated checks.

Starts a throwaway PostgreSQL (tests/support/postgres.py), builds the population with SQL,
then prints: one equivalent SQL statement computing the same due dates (the floor), the first
scan (creates flags and queues reminders), a second scan the same day (must create nothing),
and the officer work queue page (p95 over filters and a page deep in the queue) beside its floor.

    .venv/bin/python -m bench.expiry_scan [--holders 150000] [--rounds 10] [--explain]

`measure(holders, rounds, explain)` does the same and returns the figures as a dict.
"""

import argparse
import datetime as dt
import logging
import time

import sqlalchemy as sa
from flask_migrate import upgrade

from licensing import create_app
from licensing.extensions import db
from licensing.jobs.runner import run_job
from tests.support.postgres import TemporaryPostgres

TODAY = dt.date(2026, 6, 1)

POPULATION_SQL = [
    """INSERT INTO licence_holders (id, holder_ref, kind, first_name, last_name, date_of_birth, email,
                                    created_at, version)
       SELECT i, 'B' || i, 'person', 'Driver', 'Number ' || i, DATE '1960-01-01' + (i % 12000),
              CASE WHEN i % 10 = 0 THEN NULL ELSE 'driver' || i || '@example.test' END, now(), 1
       FROM generate_series(1, :n) AS i""",
    """INSERT INTO licences (id, licence_number, holder_id, licence_type, status, issued_on, expires_on,
                             created_at, version)
       SELECT i, 'PHD' || i, i, 'private_hire_driver', 'active', DATE '2024-01-01' + (i % 880),
              DATE '2027-01-01' + (i % 880), now(), 1
       FROM generate_series(1, :n) AS i""",
    # 13 dated checks per holder: DBS update status every 6 months (4), DVLA yearly (3),
    # Group 2 medicals (2), safeguarding (1) and grant-time checks (3).
    """INSERT INTO compliance_checks (holder_id, kind, completed_on, expires_on, result, created_at, version)
       SELECT h, k.kind, CAST(:today AS date) - ((h * 7 + k.n * 31) % k.spread) - k.offset_days, NULL, 'pass', now(), 1
       FROM generate_series(1, :n) AS h
       CROSS JOIN (VALUES ('dbs_update_service', 1, 183, 0), ('dbs_update_service', 2, 183, 183),
                          ('dbs_update_service', 3, 183, 366), ('dbs_update_service', 4, 183, 549),
                          ('dvla', 1, 365, 0), ('dvla', 2, 365, 365), ('dvla', 3, 365, 730),
                          ('medical_group2', 1, 1500, 0), ('medical_group2', 2, 1500, 1500),
                          ('safeguarding_training', 1, 1000, 0), ('dbs_enhanced', 1, 900, 0),
                          ('right_to_work', 1, 900, 0), ('nr3s_search', 1, 900, 0))
            AS k(kind, n, spread, offset_days)""",
]

# The same due dates as the scan, in one statement written by hand for the policy edition in force
# (2019-04): each licence type's ongoing requirements (drivers: safeguarding, BTEC, disability
# awareness, DBS update service, Group 2 medical, DVLA; vehicles: insurance, MOT, camera
# certificate; every licence: renewal), evidence for the holder (checks and training) and for the
# licence a check names, the counting results, and expiry dates where the evidence has them.
# One pass over the checks grouped by holder and licence gives each requirement's latest due date:
# the evidence's expiry, or its completion plus the refresher interval (Group 2 medical simplified
# to five-yearly; evidence that never needs renewing is due 'infinity'); the later of the
# holder's and the licence's counts; without evidence, the initial deadline. It answers with the
# items overdue and those due within the 60-day lead time, which on the London population are
# the scan's own counts (the scan also writes them to a table, flags, reminds and proposes).
_RULES = [  # (requirement, refresher interval or None, initial deadline without evidence)
    ("safeguarding_training", "36 months", "CASE WHEN l.issued_on > DATE '2016-03-31' THEN l.issued_on"
                                           " ELSE DATE '2016-03-31' END"),
    ("btec_qualification", None, "l.expires_on"),
    ("disability_awareness", None, "l.issued_on + 90"),
    ("dbs_update_service", "6 months", "l.issued_on"),
    ("medical_group2", "5 years", "l.issued_on"),
    ("dvla", "12 months", "l.issued_on"),
    ("insurance", None, "l.issued_on"),
    ("mot", "12 months", "l.issued_on"),
    ("camera_certificate", None, "l.expires_on"),
]
_TRAINING = ("safeguarding_training", "btec_qualification", "disability_awareness")
_CHECKED = [code for code, _, _ in _RULES if code not in ("btec_qualification", "disability_awareness")]
_DRIVERS = ("hackney_carriage_driver", "private_hire_driver", "dual_driver")
_VEHICLES = ("hackney_carriage_vehicle", "private_hire_vehicle")
_REQUIRED = ([(t, "licence_renewal") for t in _DRIVERS + _VEHICLES + ("private_hire_operator",)]
             + [(t, code) for t in _DRIVERS for code in ("safeguarding_training", "btec_qualification",
                                                         "disability_awareness", "dbs_update_service",
                                                         "medical_group2", "dvla")]
             + [(t, code) for t in _VEHICLES for code in ("insurance", "mot", "camera_certificate")])


def _latest(codes, kind, done, expires):
    every = {code: interval for code, interval, _ in _RULES}
    return ", ".join(
        f"max(coalesce({expires}, " + (f"{done} + INTERVAL '{every[c]}'" if every[c] else "DATE 'infinity'")
        + f")) FILTER (WHERE {kind} = '{c}') AS {c}" for c in codes)


def _due(code, initial):
    scopes = [f"h.{code}"] + ([f"lv.{code}"] if code in _CHECKED else [])
    latest = f"greatest({', '.join(scopes)})" if len(scopes) > 1 else scopes[0]
    return f"WHEN '{code}' THEN coalesce({latest}, {initial})"


_HOLDER_ROWS = ", ".join(c if c in _CHECKED else f"NULL::date AS {c}" for c, _, _ in _RULES)
_TRAINING_ROWS = ", ".join(c if c in _TRAINING else f"NULL::date AS {c}" for c, _, _ in _RULES)
_HOLDER_LATEST = ", ".join(f"max({c}) AS {c}" for c, _, _ in _RULES)
_LICENCE_LATEST = ", ".join(f"max({c}) AS {c}" for c in _CHECKED)
_DUE = "\n             ".join(_due(code, initial) for code, _, initial in _RULES)
_REQUIRED_ROWS = ", ".join(f"('{t}', '{c}')" for t, c in _REQUIRED)
_CHECK_KINDS = ", ".join(f"'{c}'" for c in _CHECKED)
_TRAINING_KINDS = ", ".join(f"'{c}'" for c in _TRAINING)

# Built only from the constants above; the date is a bound parameter.
EQUIVALENT_SQL = f"""
WITH pairs AS MATERIALIZED (
    SELECT holder_id, licence_id, {_latest(_CHECKED, "kind", "completed_on", "expires_on")}
    FROM compliance_checks
    WHERE completed_on <= CAST(:today AS date) AND kind IN ({_CHECK_KINDS})
      AND result IN ('pass', 'clear', 'no_match', 'information_disclosed', 'match_found')
    GROUP BY holder_id, licence_id
), trained AS (
    SELECT b.holder_id, {_latest(_TRAINING, "c.satisfies", "b.completed_on", "b.expires_on")}
    FROM training_bookings b JOIN training_sessions s ON s.id = b.session_id
    JOIN training_courses c ON c.id = s.course_id
    WHERE b.status = 'completed' AND b.completed_on <= CAST(:today AS date) AND c.satisfies IN ({_TRAINING_KINDS})
    GROUP BY b.holder_id
), h AS (
    SELECT holder_id, {_HOLDER_LATEST} FROM (
        SELECT holder_id, {_HOLDER_ROWS} FROM pairs WHERE holder_id IS NOT NULL
        UNION ALL SELECT holder_id, {_TRAINING_ROWS} FROM trained) AS e
    GROUP BY holder_id
), lv AS (
    SELECT licence_id, {_LICENCE_LATEST} FROM pairs WHERE licence_id IS NOT NULL GROUP BY licence_id
), due AS (
    SELECT CASE x.requirement
             WHEN 'licence_renewal' THEN l.expires_on
             {_DUE}
           END AS due_on
    FROM licences l
    JOIN (VALUES {_REQUIRED_ROWS}) AS x(licence_type, requirement) ON x.licence_type = l.licence_type
    LEFT JOIN h ON h.holder_id = l.holder_id
    LEFT JOIN lv ON lv.licence_id = l.id
    WHERE l.status IN ('active', 'suspended') AND (l.issued_on IS NULL OR l.issued_on <= CAST(:today AS date))
)
SELECT count(*) FILTER (WHERE due_on < :today), count(*) FILTER (WHERE due_on <= CAST(:today AS date) + 60)
FROM due
"""  # noqa: S608


def floor_counts(params):
    """EQUIVALENT_SQL's answer, run as the scan runs its own statement: without JIT compilation
    and with the same sort memory (until the end of the transaction, which is rolled back)."""
    db.session.execute(sa.text("SET LOCAL jit = off"))
    db.session.execute(sa.text("SET LOCAL work_mem = '128MB'"))
    counts = tuple(db.session.execute(sa.text(EQUIVALENT_SQL), params).one())
    db.session.rollback()
    return counts


QUEUE_URLS = [
    "/training/queue", "/training/queue?licence_type=private_hire_driver", "/training/queue?requirement=dvla",
    "/training/queue?days_left=30", "/training/queue?requirement=medical_group2&days_left=-1",
    "/training/queue?licence_type=hackney_carriage_driver",
]
# The queue's first page as one statement: open items in due order with their licence and holder.
QUEUE_FLOOR_SQL = """
SELECT f.*, l.licence_number, l.licence_type, h.holder_ref, h.first_name, h.last_name, h.organisation_name
FROM compliance_flags f JOIN licences l ON l.id = f.licence_id JOIN licence_holders h ON h.id = f.holder_id
WHERE f.status IN ('open', 'chased') ORDER BY f.due_on, f.id LIMIT 25
"""
PASSWORD = "benchmark password 1"  # noqa: S105 - throwaway local database


def timed(label, func):
    start = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - start
    print(f"{label:<44} {elapsed:7.2f} s  {result}")
    return elapsed, result


def percentile(samples, p):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def _signed_in_client(app):
    import pyotp

    from licensing.auth.passwords import hash_password
    from licensing.models import Role, User

    user = User(email="queue-bench@example.gov.uk", name="Bench Officer", role=Role.OFFICER,
                password_hash=hash_password(PASSWORD), totp_secret=pyotp.random_base32(),
                totp_confirmed_at=dt.datetime(2026, 1, 1))
    db.session.add(user)
    db.session.commit()
    client = app.test_client()
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    response = client.post("/auth/two-factor", data={"code": pyotp.TOTP(user.totp_secret).now()})
    assert response.status_code == 302, response.status_code
    logging.getLogger("licensing").setLevel(logging.WARNING)  # request logs would be timed too
    return client


def _queue_page_ms(app, rounds):
    """p95 and median of GET on the work queue (filters, and a page deep in the queue), and the
    p95 of its floor, the first page as one SQL statement."""
    client = _signed_in_client(app)
    middle = db.session.execute(sa.text(
        "SELECT due_on, id FROM compliance_flags WHERE status IN ('open', 'chased') ORDER BY due_on, id "
        "OFFSET (SELECT count(*) / 2 FROM compliance_flags WHERE status IN ('open', 'chased')) LIMIT 1")).one()
    db.session.commit()
    urls = QUEUE_URLS + [f"/training/queue?after={middle.due_on.isoformat()}.{middle.id}"]
    for url in urls:  # warm: templates compiled, connections open, as on a running server
        client.get(url)
    samples, floor, by_url = [], [], {}
    for _ in range(rounds):
        for url in urls:
            start = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - start) * 1000
            samples.append(elapsed)
            by_url.setdefault(url, []).append(elapsed)
            assert response.status_code == 200, (url, response.status_code)
        start = time.perf_counter()
        db.session.execute(sa.text(QUEUE_FLOOR_SQL)).all()
        floor.append((time.perf_counter() - start) * 1000)
        db.session.commit()
    for url, times in by_url.items():
        print(f"    {url:<60} p95 {percentile(times, 95):6.1f} ms")
    return percentile(samples, 95), percentile(samples, 50), percentile(floor, 95)


def measure(holders=150_000, rounds=10, explain=False):
    """Build the population on a throwaway PostgreSQL and return the figures (also printed):
    floor_s, first_scan_s, second_scan_s, second_counts, queue_p95_ms, queue_p50_ms, queue_floor_p95_ms."""
    figures = {}
    server = TemporaryPostgres(fsync=False).start()
    try:
        url = server.create_database("bench")
        app = create_app({"SQLALCHEMY_DATABASE_URI": url}, environ={"LICENSING_ENV": "testing"})
        with app.app_context():
            upgrade()
            params = {"n": holders, "today": TODAY}

            def build():
                for statement in POPULATION_SQL:
                    db.session.execute(sa.text(statement), params)
                db.session.commit()
                db.session.execute(sa.text("ANALYZE"))
                db.session.commit()
                return db.session.scalar(sa.text("SELECT count(*) FROM compliance_checks"))
            timed(f"build {holders} holders; checks:", build)
            if explain:
                _explain()
            figures["floor_s"], _ = timed("one equivalent SQL statement (overdue, <=60d)",
                                          lambda: floor_counts(params))
            figures["first_scan_s"], _ = timed("first scan (creates flags, queues e-mails)",
                                               lambda: run_job("expiry_scan", TODAY).counts)
            second, counts = timed("second scan the same day", lambda: run_job("expiry_scan", TODAY).counts)
            assert counts["flags_created"] == 0 and counts["reminders_queued"] == 0, counts
            figures["second_scan_s"], figures["second_counts"] = second, counts
            print(f"second scan / SQL statement: {second / figures['floor_s']:.1f}x")
            p95, p50, floor = _queue_page_ms(app, rounds)
            figures.update(queue_p95_ms=p95, queue_p50_ms=p50, queue_floor_p95_ms=floor)
            print(f"{'GET /training/queue p95 (ms), target < 100':<44} {p95:7.1f}    median {p50:.1f}, "
                  f"floor p95 {floor:.1f}")
            db.session.remove()
            db.engine.dispose()
    finally:
        server.stop()
    return figures


def _explain():
    from licensing.compliance.sql import due_items_select

    statement = sa.select(sa.func.count()).select_from(due_items_select(TODAY).subquery())
    sql = str(statement.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))
    db.session.execute(sa.text("SET LOCAL jit = off"))
    plan = db.session.execute(sa.text("EXPLAIN (ANALYZE, BUFFERS) " + sql)).scalars()
    print("\n-- EXPLAIN ANALYZE the scan's due-items statement\n" + "\n".join(plan) + "\n")
    db.session.rollback()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--holders", type=int, default=150_000)
    parser.add_argument("--rounds", type=int, default=10, help="rounds of work-queue page requests")
    parser.add_argument("--explain", action="store_true", help="print the due-items statement's query plan")
    args = parser.parse_args()
    measure(args.holders, args.rounds, args.explain)


if __name__ == "__main__":
    main()

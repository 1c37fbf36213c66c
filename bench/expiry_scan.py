"""Benchmark: the daily expiry scan at 150,000 holders and about 2 million dated checks.

Starts a throwaway PostgreSQL (tests/support/postgres.py), builds the population with SQL,
then prints: the first scan (creates flags and queues reminders), a second scan the same day
(must create nothing), and one equivalent SQL statement computing the same due dates.

    /work/main/.venv/bin/python -m bench.expiry_scan [--holders 150000]
"""

import argparse
import datetime as dt
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

# The same due dates as the scan, for the refresher rules, in one statement.
EQUIVALENT_SQL = """
WITH latest AS (
    SELECT holder_id, kind, max(completed_on) AS completed_on
    FROM compliance_checks WHERE result = 'pass' AND completed_on <= :today GROUP BY holder_id, kind
), due AS (
    SELECT l.id AS licence_id, x.requirement,
           CASE x.requirement
             WHEN 'licence_renewal' THEN l.expires_on
             WHEN 'dbs_update_service' THEN coalesce(d.completed_on + INTERVAL '6 months', l.issued_on)
             WHEN 'dvla' THEN coalesce(v.completed_on + INTERVAL '12 months', l.issued_on)
             WHEN 'safeguarding_training' THEN coalesce(s.completed_on + INTERVAL '36 months', l.issued_on)
             WHEN 'medical_group2' THEN coalesce(m.completed_on + INTERVAL '5 years', l.issued_on)
             WHEN 'btec_qualification' THEN l.expires_on
             WHEN 'disability_awareness' THEN l.issued_on + 90
           END::date AS due_on
    FROM licences l
    JOIN licence_holders h ON h.id = l.holder_id
    CROSS JOIN (VALUES ('licence_renewal'), ('dbs_update_service'), ('dvla'), ('safeguarding_training'),
                       ('medical_group2'), ('btec_qualification'), ('disability_awareness')) AS x(requirement)
    LEFT JOIN latest d ON d.holder_id = l.holder_id AND d.kind = 'dbs_update_service'
    LEFT JOIN latest v ON v.holder_id = l.holder_id AND v.kind = 'dvla'
    LEFT JOIN latest s ON s.holder_id = l.holder_id AND s.kind = 'safeguarding_training'
    LEFT JOIN latest m ON m.holder_id = l.holder_id AND m.kind = 'medical_group2'
    WHERE l.status IN ('active', 'suspended')
)
SELECT count(*) FILTER (WHERE due_on < :today), count(*) FILTER (WHERE due_on <= CAST(:today AS date) + 60)
FROM due
"""


def timed(label, func):
    start = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - start
    print(f"{label:<44} {elapsed:7.2f} s  {result}")
    return elapsed, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--holders", type=int, default=150_000)
    args = parser.parse_args()
    server = TemporaryPostgres(fsync=False).start()
    try:
        url = server.create_database("bench")
        app = create_app({"SQLALCHEMY_DATABASE_URI": url}, environ={"LICENSING_ENV": "testing"})
        with app.app_context():
            upgrade()
            params = {"n": args.holders, "today": TODAY}
            def build():
                for statement in POPULATION_SQL:
                    db.session.execute(sa.text(statement), params)
                db.session.commit()
                db.session.execute(sa.text("ANALYZE"))
                db.session.commit()
                return db.session.scalar(sa.text("SELECT count(*) FROM compliance_checks"))
            timed(f"build {args.holders} holders; checks:", build)
            sql_time, _ = timed("one equivalent SQL statement (overdue, <=60d)",
                                lambda: tuple(db.session.execute(sa.text(EQUIVALENT_SQL), params).one()))
            timed("first scan (creates flags, queues e-mails)", lambda: run_job("expiry_scan", TODAY).counts)
            second, counts = timed("second scan the same day", lambda: run_job("expiry_scan", TODAY).counts)
            assert counts["flags_created"] == 0 and counts["reminders_queued"] == 0, counts
            print(f"second scan / SQL statement: {second / sql_time:.1f}x")
            db.session.remove()
            db.engine.dispose()
    finally:
        server.stop()


if __name__ == "__main__":
    main()

"""Benchmark: the quarterly compliance report at 150,000 holders on PostgreSQL.

Starts a throwaway PostgreSQL (tests/support/postgres.py), builds the expiry-scan population
(bench/expiry_scan.py: one private hire driver licence and 13 dated checks per holder, plus training
completions for 19 in 20 holders), then times
the whole quarterly report (the measure at the quarter end and the three quarters before it, by
licence type, the overdue requirements of every licence not adhering, enforcement in the quarter)
against one equivalent SQL aggregate run in the same session: the same four measures written by
hand in one statement. Targets: report under 5 s and within 2x the SQL aggregate.

    .venv/bin/python -m bench.reports [--holders 150000]

`measure_quarterly(holders)` returns the figures as a dict for a benchmark orchestrator.
"""

import argparse
import os
import time

import sqlalchemy as sa
from flask_migrate import upgrade

from bench.expiry_scan import POPULATION_SQL, TODAY
from licensing import create_app
from licensing.extensions import db
from licensing.reports.periods import Quarter
from licensing.reports.service import build
from tests.support.postgres import TemporaryPostgres

QUARTER = Quarter.containing(TODAY).previous()  # 2025-26 Q4, ending 31 March 2026

# The 2019 policy edition adds two training requirements the expiry-scan population has no
# evidence for (BTEC qualification, disability awareness). Completions for 19 in 20 holders make a
# council that mostly complies, as a real one does; the rest stay overdue and are listed.
TRAINING_SQL = [
    """INSERT INTO training_courses (id, code, title, kind, satisfies, validity_months, version)
       VALUES (1, 'BTEC', 'BTEC qualification', 'qualification', 'btec_qualification', NULL, 1),
              (2, 'DAT', 'Disability awareness', 'disability_awareness', 'disability_awareness', NULL, 1)""",
    """INSERT INTO training_sessions (id, course_id, held_on, venue, capacity, trainer, version)
       SELECT c * 1000000 + k, c, DATE '2023-06-01' + k % 300, 'Town Hall', 500, 'Trainer', 1
       FROM generate_series(0, :n / 500) AS k CROSS JOIN (VALUES (1), (2)) AS courses(c)""",
    """INSERT INTO training_bookings (session_id, holder_id, status, booked_at, completed_on,
                                      certificate_reference, version)
       SELECT c * 1000000 + h / 500, h, 'completed', now(), DATE '2023-06-01' + (h / 500) % 300, 'C' || h, 1
       FROM generate_series(1, :n) AS h CROSS JOIN (VALUES (1), (2)) AS courses(c) WHERE h % 20 <> 0""",
]
TARGET_SECONDS = 5.0
TARGET_RATIO = 2.0

# The four quarter-end measures by hand in one statement, for the rules of the policy edition in
# force (2019-04): one pass over the checks for the latest evidence per holder and requirement up
# to each date, the refresher intervals and deadlines, and holders adhering when no requirement of
# their licence is overdue (medical simplified to five-yearly).
EQUIVALENT_SQL = """
WITH latest AS (
    SELECT holder_id, kind,
           max(CASE WHEN completed_on <= CAST(:d0 AS date) THEN completed_on END) AS c0,
           max(CASE WHEN completed_on <= CAST(:d1 AS date) THEN completed_on END) AS c1,
           max(CASE WHEN completed_on <= CAST(:d2 AS date) THEN completed_on END) AS c2,
           max(CASE WHEN completed_on <= CAST(:d3 AS date) THEN completed_on END) AS c3
    FROM compliance_checks
    WHERE completed_on <= CAST(:d3 AS date)
      AND result IN ('pass', 'clear', 'no_match', 'information_disclosed', 'match_found')
      AND kind IN ('safeguarding_training', 'dbs_update_service', 'medical_group2', 'dvla')
    GROUP BY holder_id, kind
), trained AS (
    SELECT b.holder_id, c.satisfies AS kind,
           min(b.completed_on) AS first_done
    FROM training_bookings b JOIN training_sessions s ON s.id = b.session_id
    JOIN training_courses c ON c.id = s.course_id
    WHERE b.status = 'completed' AND c.satisfies IN ('btec_qualification', 'disability_awareness')
    GROUP BY b.holder_id, c.satisfies
), per_licence AS (
    SELECT l.holder_id, d.i, d.day,
           l.issued_on <= d.day AS in_force,
           l.expires_on < d.day
           OR coalesce((CASE d.i WHEN 0 THEN s.c0 WHEN 1 THEN s.c1 WHEN 2 THEN s.c2 ELSE s.c3 END)
                       + INTERVAL '36 months' < d.day, DATE '2016-03-31' < d.day)
           OR coalesce((CASE d.i WHEN 0 THEN u.c0 WHEN 1 THEN u.c1 WHEN 2 THEN u.c2 ELSE u.c3 END)
                       + INTERVAL '6 months' < d.day, l.issued_on < d.day)
           OR coalesce((CASE d.i WHEN 0 THEN v.c0 WHEN 1 THEN v.c1 WHEN 2 THEN v.c2 ELSE v.c3 END)
                       + INTERVAL '12 months' < d.day, l.issued_on < d.day)
           OR coalesce((CASE d.i WHEN 0 THEN m.c0 WHEN 1 THEN m.c1 WHEN 2 THEN m.c2 ELSE m.c3 END)
                       + INTERVAL '5 years' < d.day, l.issued_on < d.day)
           OR (coalesce(t.first_done > d.day, true) AND l.issued_on + 90 < d.day)
           OR (coalesce(b.first_done > d.day, true) AND l.expires_on < d.day) AS overdue
    FROM licences l
    CROSS JOIN (VALUES (0, CAST(:d0 AS date)), (1, CAST(:d1 AS date)), (2, CAST(:d2 AS date)),
                       (3, CAST(:d3 AS date))) AS d(i, day)
    LEFT JOIN latest s ON s.holder_id = l.holder_id AND s.kind = 'safeguarding_training'
    LEFT JOIN latest u ON u.holder_id = l.holder_id AND u.kind = 'dbs_update_service'
    LEFT JOIN latest v ON v.holder_id = l.holder_id AND v.kind = 'dvla'
    LEFT JOIN latest m ON m.holder_id = l.holder_id AND m.kind = 'medical_group2'
    LEFT JOIN trained t ON t.holder_id = l.holder_id AND t.kind = 'disability_awareness'
    LEFT JOIN trained b ON b.holder_id = l.holder_id AND b.kind = 'btec_qualification'
    WHERE l.status IN ('active', 'suspended') AND l.issued_on <= CAST(:d3 AS date)
), per_holder AS (
    SELECT day, holder_id, bool_or(overdue) AS bad FROM per_licence WHERE in_force GROUP BY day, holder_id
)
SELECT day, count(*), count(*) FILTER (WHERE NOT bad) FROM per_holder GROUP BY day ORDER BY day
"""

def _timed(func, repeat=3):
    """Best of `repeat` warm runs (the first run warms the caches and is also timed)."""
    best, result = None, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def _report_figures():
    report = build("quarterly", quarter=QUARTER)
    summary = report.table("measure").rows[0]
    return {"holders": summary[1], "adhering": summary[2], "percentage": str(summary[4]),
            "licences_listed": len(report.table("not_adhering").rows),
            "trend": [(row[0], row[2], row[3]) for row in report.table("trend").rows]}


def _sql_figures():
    days = {f"d{i}": q.end for i, q in enumerate(QUARTER.trend(4))}
    rows = db.session.execute(sa.text(EQUIVALENT_SQL), days).all()
    return [(d.isoformat(), n, ok) for d, n, ok in rows]


def measure_quarterly(holders=150_000, echo=print):
    """Build the population on a throwaway PostgreSQL and time the report and the SQL aggregate."""
    server = TemporaryPostgres(fsync=False).start()
    try:
        url = server.create_database("bench_reports")
        app = create_app({"SQLALCHEMY_DATABASE_URI": url}, environ={"LICENSING_ENV": "testing"})
        with app.app_context():
            upgrade()
            start = time.perf_counter()
            for statement in POPULATION_SQL + TRAINING_SQL:
                db.session.execute(sa.text(statement), {"n": holders, "today": TODAY})
            db.session.commit()
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
            checks = db.session.scalar(sa.text("SELECT count(*) FROM compliance_checks"))
            echo(f"built {holders} holders, {checks} checks in {time.perf_counter() - start:.1f} s")
            sql_seconds, sql_result = _timed(_sql_figures)
            echo(f"equivalent SQL aggregate (4 quarter ends)   {sql_seconds:6.2f} s  {sql_result}")
            report_seconds, figures = _timed(_report_figures)
            echo(f"quarterly report {QUARTER.name} (4 quarter ends)  {report_seconds:6.2f} s  "
                 f"{figures['holders']} holders, {figures['adhering']} adhering ({figures['percentage']}%), "
                 f"{figures['licences_listed']} licences listed not adhering")
            echo(f"trend: {figures['trend']}")
            ratio = report_seconds / sql_seconds
            load = os.getloadavg()
            echo(f"machine load average (1, 5, 15 min): {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f} "
                 f"on {os.cpu_count()} CPUs")
            echo(f"report / SQL aggregate: {ratio:.2f}x (target <= {TARGET_RATIO}x); "
                 f"report {'under' if report_seconds < TARGET_SECONDS else 'OVER'} {TARGET_SECONDS:.0f} s")
            db.session.remove()
            db.engine.dispose()
        return {"holders": holders, "checks": checks, "report_seconds": round(report_seconds, 3),
                "sql_seconds": round(sql_seconds, 3), "ratio": round(ratio, 2),
                "passed": report_seconds < TARGET_SECONDS and ratio <= TARGET_RATIO, "load_average": load[0],
                "figures": figures}
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--holders", type=int, default=150_000)
    args = parser.parse_args()
    result = measure_quarterly(args.holders)
    print("PASS" if result["passed"] else "FAIL")
    raise SystemExit(0 if result["passed"] else 1)


if __name__ == "__main__":
    main()

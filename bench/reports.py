"""Benchmark: the quarterly compliance report at 150,000 holders on PostgreSQL.

Starts a throwaway PostgreSQL (tests/support/postgres.py), builds the expiry-scan population
(bench/expiry_scan.py: one private hire driver licence and 13 dated checks per holder), then times
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
TARGET_SECONDS = 5.0
TARGET_RATIO = 2.0

# The four quarter-end measures by hand, for the rules of the policy edition in force (2019-04):
# latest evidence per holder and requirement up to each date, the refresher intervals, the grant
# deadline, and holders adhering when no requirement of their licence is overdue.
EQUIVALENT_SQL = """
WITH days(d) AS (SELECT unnest(CAST(:days AS date[]))),
latest AS (
    SELECT days.d, c.holder_id, c.kind, max(c.completed_on) AS done
    FROM days JOIN compliance_checks c ON c.completed_on <= days.d
    WHERE c.result IN ('pass', 'clear', 'no_match', 'information_disclosed', 'match_found')
      AND c.kind IN ('safeguarding_training', 'dbs_update_service', 'medical_group2', 'dvla')
    GROUP BY days.d, c.holder_id, c.kind
), per_licence AS (
    SELECT days.d, l.holder_id,
           (l.expires_on < days.d)
           OR coalesce(s.done + INTERVAL '36 months' < days.d, DATE '2016-03-31' < days.d)
           OR coalesce(u.done + INTERVAL '6 months' < days.d, l.issued_on < days.d)
           OR coalesce(v.done + INTERVAL '12 months' < days.d, l.issued_on < days.d)
           OR coalesce(m.done + INTERVAL '5 years' < days.d, l.issued_on < days.d)
           OR (l.expires_on < days.d)
           OR (l.issued_on + 90 < days.d) AS overdue
    FROM days
    JOIN licences l ON l.status IN ('active', 'suspended') AND l.issued_on <= days.d
    LEFT JOIN latest s ON s.d = days.d AND s.holder_id = l.holder_id AND s.kind = 'safeguarding_training'
    LEFT JOIN latest u ON u.d = days.d AND u.holder_id = l.holder_id AND u.kind = 'dbs_update_service'
    LEFT JOIN latest v ON v.d = days.d AND v.holder_id = l.holder_id AND v.kind = 'dvla'
    LEFT JOIN latest m ON m.d = days.d AND m.holder_id = l.holder_id AND m.kind = 'medical_group2'
), per_holder AS (
    SELECT d, holder_id, bool_or(overdue) AS bad FROM per_licence GROUP BY d, holder_id
)
SELECT d, count(*), count(*) FILTER (WHERE NOT bad) FROM per_holder GROUP BY d ORDER BY d
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
    days = [q.end for q in QUARTER.trend(4)]
    rows = db.session.execute(sa.text(EQUIVALENT_SQL), {"days": days}).all()
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
            for statement in POPULATION_SQL:
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

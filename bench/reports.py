"""Benchmark: the quarterly compliance report at 150,000 holders on PostgreSQL.

Starts a throwaway PostgreSQL (tests/support/postgres.py), builds the expiry-scan population
(bench/expiry_scan.py: one private hire driver licence and 13 dated checks per holder, plus training
completions for 19 in 20 holders), then times
the whole quarterly report (the measure at the quarter end and the three quarters before it, by
licence type, the overdue requirements of every licence not adhering, enforcement in the quarter)
against one equivalent SQL statement run in the same session: what the report computes, written
by hand (see EQUIVALENT_SQL; on the London population of `make bench` it gives the report's own
figures). Targets: report under 5 s and within 2x the SQL statement.

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

# The report by hand in one statement, for the rules of the policy edition in force at the four
# quarter ends (2019-04): what the report computes, written directly in SQL. It is wider than the
# four measures alone because the report is: on a council with vehicles and operators each licence
# type owes its own requirements (drivers: safeguarding, DBS update service, Group 2 medical,
# DVLA, BTEC, disability awareness; vehicles: insurance, MOT, camera certificate; all: renewal),
# evidence counts for the holder and for the licence it names, expiry dates decide where the
# evidence has them, and the report lists every licence not adhering at the quarter end with its
# holder's name and the requirements overdue, and counts the enforcement action in the quarter.
# One pass over the checks (grouped by holder and licence together) gives, per requirement and
# quarter end, the latest due date of the evidence up to that date: its expiry, or its completion
# plus the refresher interval (Group 2 medical simplified to five-yearly; evidence that never
# needs renewing is due 'infinity'). Without evidence, the initial deadline applies. A holder
# adheres when no requirement of any of their licences in force is overdue.
_CHECK_RULES = [  # (requirement, column prefix, refresher interval or None)
    ("safeguarding_training", "sg", "36 months"), ("dbs_update_service", "dbs", "6 months"),
    ("medical_group2", "med", "5 years"), ("dvla", "dvla", "12 months"),
    ("insurance", "ins", None), ("mot", "mot", "12 months"), ("camera_certificate", "cam", None)]
_TRAINING_RULES = [("safeguarding_training", "sg", "36 months"), ("btec_qualification", "btec", None),
                   ("disability_awareness", "da", None)]


def _latest_due(rules, done, expires, kind):
    """max(due date) per requirement and quarter end i, over evidence completed by day i."""
    columns = []
    for code, name, every in rules:
        due = f"coalesce({expires}, {done} + INTERVAL '{every}')" if every else f"coalesce({expires}, DATE 'infinity')"
        for i in range(4):
            columns.append(f"max({due}) FILTER (WHERE {kind} = '{code}' AND {done} <= CAST(:d{i} AS date))"
                           f" AS {name}{i}")
    return ",\n           ".join(columns)


def _overdue(scopes, name, initial):
    """Overdue on quarter end {i}: the later due date passed, or without evidence the initial
    deadline ({day} in `initial` is the quarter end)."""
    due = (f"{scopes[0]}.{name}{{i}}" if len(scopes) == 1
           else f"greatest({', '.join(f'{t}.{name}{{i}}' for t in scopes)})")
    return f"CASE WHEN {due} IS NULL THEN coalesce({initial}, false) ELSE {due} < {{day}} END"


_DRIVER = "l.licence_type IN ('hackney_carriage_driver', 'private_hire_driver', 'dual_driver')"
_VEHICLE = "l.licence_type IN ('hackney_carriage_vehicle', 'private_hire_vehicle')"
_REQUIREMENTS = [  # (requirement, licence types, overdue on quarter end {i}, the date {day})
    ("licence_renewal", None, "coalesce(l.expires_on < {day}, false)"),
    ("safeguarding_training", _DRIVER, _overdue(("h", "lv"), "sg", "l.issued_on < {day} OR l.issued_on IS NULL")),
    ("btec_qualification", _DRIVER, _overdue(("h",), "btec", "l.expires_on < {day}")),
    ("disability_awareness", _DRIVER, _overdue(("h",), "da", "l.issued_on + 90 < {day}")),
    ("dbs_update_service", _DRIVER, _overdue(("h", "lv"), "dbs", "l.issued_on < {day}")),
    ("medical_group2", _DRIVER, _overdue(("h", "lv"), "med", "l.issued_on < {day}")),
    ("dvla", _DRIVER, _overdue(("h", "lv"), "dvla", "l.issued_on < {day}")),
    ("insurance", _VEHICLE, _overdue(("h", "lv"), "ins", "l.issued_on < {day}")),
    ("mot", _VEHICLE, _overdue(("h", "lv"), "mot", "l.issued_on < {day}")),
    ("camera_certificate", _VEHICLE, _overdue(("h", "lv"), "cam", "l.expires_on < {day}")),
]


def _day_rule(types, rule, i):
    overdue = rule.format(i=i, day=f"CAST(:d{i} AS date)")
    return f"({overdue})" if types is None else f"({types} AND ({overdue}))"


_CHECK_COLUMNS = [f"{name}{i}" for _, name, _ in _CHECK_RULES for i in range(4)]
_TRAINING_COLUMNS = [f"{name}{i}" for _, name, _ in _TRAINING_RULES for i in range(4)]
_HOLDER_COLUMNS = ", ".join(f"max({c}) AS {c}" for c in dict.fromkeys(_CHECK_COLUMNS + _TRAINING_COLUMNS))
_UNION_CHECKS = ", ".join(c if c in _CHECK_COLUMNS else f"NULL::date AS {c}"
                          for c in dict.fromkeys(_CHECK_COLUMNS + _TRAINING_COLUMNS))
_UNION_TRAINING = ", ".join(c if c in _TRAINING_COLUMNS else f"NULL::date AS {c}"
                            for c in dict.fromkeys(_CHECK_COLUMNS + _TRAINING_COLUMNS))
_LICENCE_COLUMNS = ", ".join(f"max({c}) AS {c}" for c in _CHECK_COLUMNS)
# Per licence: in force (f<i>) and overdue (bad<i>) at each quarter end; at the last, each requirement.
_PER_LICENCE_COLUMNS = ",\n           ".join(
    [f"coalesce(l.issued_on <= CAST(:d{i} AS date), true) AS f{i}" for i in range(4)]
    + [f"({' OR '.join(_day_rule(t, r, i) for _, t, r in _REQUIREMENTS)}) AS bad{i}" for i in range(3)]
    + [f"{_day_rule(t, r, 3)} AS {code}" for code, t, r in _REQUIREMENTS])
_LAST_BAD = " OR ".join(code for code, _, _ in _REQUIREMENTS)
_REASONS = ", ".join(f"CASE WHEN {code} THEN '{code}' END" for code, _, _ in _REQUIREMENTS)
_CHECK_KINDS = ", ".join(f"'{code}'" for code, _, _ in _CHECK_RULES)
_PER_HOLDER = ", ".join(f"bool_or(f{i}) AS f{i}, bool_or(f{i} AND bad{i}) AS bad{i}" for i in range(4))
_COUNT = ("SELECT '{what}', {i}, {column}, count(*) FILTER (WHERE f{i}), count(*) FILTER (WHERE f{i} AND NOT bad{i}),"
          " NULL, NULL, NULL, NULL FROM {rows}")
_HOLDER_COUNTS = "\nUNION ALL\n".join(_COUNT.format(what="holders", i=i, column="NULL", rows="per_holder")
                                      for i in range(4))
_TYPE_COUNTS = "\nUNION ALL\n".join(_COUNT.format(what="licences", i=i, column="licence_type",
                                                  rows="late GROUP BY licence_type") for i in range(4))

# Built only from the constants above; the dates are bound parameters.
EQUIVALENT_SQL = f"""
WITH pairs AS MATERIALIZED (
    SELECT holder_id, licence_id,
           {_latest_due(_CHECK_RULES, "completed_on", "expires_on", "kind")}
    FROM compliance_checks
    WHERE completed_on <= CAST(:d3 AS date)
      AND result IN ('pass', 'clear', 'no_match', 'information_disclosed', 'match_found')
      AND kind IN ({_CHECK_KINDS})
    GROUP BY holder_id, licence_id
), trained AS (
    SELECT b.holder_id,
           {_latest_due(_TRAINING_RULES, "b.completed_on", "b.expires_on", "c.satisfies")}
    FROM training_bookings b JOIN training_sessions s ON s.id = b.session_id
    JOIN training_courses c ON c.id = s.course_id
    WHERE b.status = 'completed' AND b.completed_on <= CAST(:d3 AS date)
    GROUP BY b.holder_id
), h AS (
    SELECT holder_id, {_HOLDER_COLUMNS} FROM (
        SELECT holder_id, {_UNION_CHECKS} FROM pairs WHERE holder_id IS NOT NULL
        UNION ALL SELECT holder_id, {_UNION_TRAINING} FROM trained) AS e
    GROUP BY holder_id
), lv AS (
    SELECT licence_id, {_LICENCE_COLUMNS}
    FROM pairs WHERE licence_id IS NOT NULL GROUP BY licence_id
), per_licence AS MATERIALIZED (
    SELECT l.id, l.holder_id, l.licence_type,
           {_PER_LICENCE_COLUMNS}
    FROM licences l
    LEFT JOIN h ON h.holder_id = l.holder_id
    LEFT JOIN lv ON lv.licence_id = l.id
    WHERE l.status IN ('active', 'suspended') AND (l.issued_on IS NULL OR l.issued_on <= CAST(:d3 AS date))
), late AS (
    SELECT id, holder_id, licence_type, f0, f1, f2, f3, bad0, bad1, bad2, {_LAST_BAD} AS bad3 FROM per_licence
), per_holder AS (
    SELECT holder_id, {_PER_HOLDER} FROM late GROUP BY holder_id
)
{_HOLDER_COUNTS}
UNION ALL
{_TYPE_COUNTS}
UNION ALL
SELECT 'not adhering', 3, p.licence_type, NULL, NULL, x.holder_ref,
       coalesce(x.organisation_name, concat_ws(' ', x.first_name, x.last_name)), n.licence_number, p.reasons
FROM (SELECT id, holder_id, licence_type, concat_ws('; ', {_REASONS}) AS reasons FROM per_licence
      WHERE f3 AND ({_LAST_BAD})) AS p
JOIN licences n ON n.id = p.id JOIN licence_holders x ON x.id = p.holder_id
UNION ALL
SELECT 'enforcement', NULL, kind || ' ' || origin, count(*), NULL, NULL, NULL, NULL, NULL
FROM enforcement_actions
WHERE status <> 'cancelled' AND decision_date BETWEEN CAST(:start AS date) AND CAST(:d3 AS date)
GROUP BY kind, origin
UNION ALL
SELECT 'suspended until compliant', NULL, NULL, count(*), NULL, NULL, NULL, NULL, NULL
FROM suspension_proposals
WHERE status IN ('confirmed', 'ended') AND confirmed_on BETWEEN CAST(:start AS date) AND CAST(:d3 AS date)
"""  # noqa: S608

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
    """The hand-written statement's answers: (quarter end, holders, adhering) per quarter end,
    then the number of licences it lists as not adhering. Run as the report runs its own
    statement: without JIT compilation and with the same sort memory."""
    days = {f"d{i}": q.end for i, q in enumerate(QUARTER.trend(4))}
    db.session.execute(sa.text("SET LOCAL work_mem = '256MB'"))
    db.session.execute(sa.text("SET LOCAL jit = off"))
    rows = db.session.execute(sa.text(EQUIVALENT_SQL), {**days, "start": QUARTER.start}).all()
    trend = sorted((days[f"d{row[1]}"].isoformat(), row[3], row[4]) for row in rows if row[0] == "holders")
    return trend + [("not adhering", sum(1 for row in rows if row[0] == "not adhering"))]


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

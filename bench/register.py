"""Register benchmark on a throwaway PostgreSQL: import time and search / page latency.

    /work/main/.venv/bin/python -m bench.register [--holders 150000] [--explain]

Starts its own PostgreSQL (tests/support/postgres.py, fsync off), migrates, times the CSV
import of N holders, adds their licences, vehicles and ~10 compliance checks each with
server-side INSERT ... SELECT, then measures (warm, server-side) the p95 of a mix of searches:
the query function in an app context, the /holders/ page through the Flask test client, the
public register, and the holder page when a /holders/<id> route exists. Each figure is printed
beside its SQL floor: the equivalent single SQL statement, timed the same way.
"""

import argparse
import csv
import datetime as dt
import logging
import os
import random
import tempfile
import time

import sqlalchemy as sa
from flask_migrate import upgrade

from licensing import create_app
from licensing.auth.passwords import hash_password
from licensing.extensions import db
from licensing.holders.queries.search import page_statement, search_holders
from licensing.imports.engine import run_import
from licensing.imports.holders import HolderImporter
from licensing.models import LicenceHolder, Role, User
from licensing.models.search_indexes import holder_sort_name
from licensing.public_register.queries import register_page
from tests.support.postgres import TemporaryPostgres

FIRST = ["Aisha", "Ben", "Chloe", "Daniel", "Emma", "Farhan", "Grace", "Harry", "Imran", "Jade", "Kofi", "Laura",
         "Mohammed", "Nadia", "Oliver", "Priya", "Qasim", "Ruth", "Sam", "Tomasz", "Usman", "Vicky", "Wei", "Yusuf"]
LAST = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Khan",
        "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood",
        "Hussain", "Ali", "Kowalski", "Nowak", "Okafor", "Mensah", "Clarke", "Jackson", "Hughes", "Edwards"]
PASSWORD = "benchmark password 1"  # noqa: S105 - throwaway local database


def _write_holders_csv(path, count, rng):
    with open(path, "w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["holder_ref", "first_name", "last_name", "date_of_birth", "address", "postcode", "email",
                      "phone", "dvla_licence_number"])
        for n in range(1, count + 1):
            first, last = rng.choice(FIRST), f"{rng.choice(LAST)}{rng.choice(['', '', 'son', 'ley', 'er'])}"
            born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(18000))
            out.writerow([f"H{n:07d}", first, last, born.isoformat(), f"{n} Station Road", "AB1 2CD",
                          f"h{n}@example.com", "01234 567890", f"DV{n:010d}XY"])


GENERATE = [
    # One vehicle per third holder, proprietor = holder.
    """INSERT INTO vehicles (registration, make, model, colour, seats, wheelchair_accessible, plate_number,
           camera_fitted, proprietor_id, version)
       SELECT 'BX' || lpad(id::text, 7, '0'), 'Skoda', 'Octavia', 'Silver', 4, false, 'PL' || id, false, id, 1
       FROM licence_holders WHERE mod(id, 3) = 0""",
    # A driver licence each; a vehicle licence for each vehicle.
    """INSERT INTO licences (licence_number, holder_id, licence_type, status, issued_on, expires_on, badge_number,
           created_at, version)
       SELECT 'DRV/' || id, id, (ARRAY['private_hire_driver','hackney_carriage_driver','dual_driver'])[mod(id, 3) + 1],
              (ARRAY['active','active','active','active','suspended','expired','applied'])[mod(id, 7) + 1],
              DATE '2024-01-01' + mod(id, 700), DATE '2027-01-01' + mod(id, 700), 'B' || id, now(), 1
       FROM licence_holders""",
    """INSERT INTO licences (licence_number, holder_id, licence_type, status, issued_on, expires_on, vehicle_id,
           created_at, version)
       SELECT 'VEH/' || v.id, v.proprietor_id, 'private_hire_vehicle', 'active', DATE '2025-01-01',
              DATE '2026-12-31', v.id, now(), 1
       FROM vehicles v""",
    # About ten checks per holder.
    """INSERT INTO compliance_checks (holder_id, kind, completed_on, expires_on, result, reference, created_at,
           version)
       SELECT h.id, (ARRAY['dbs_enhanced','dbs_update_service','medical_group2','dvla','right_to_work',
                           'nr3s_search','safeguarding_training','dbs_enhanced','dvla','medical_group2'])[k],
              DATE '2020-01-01' + mod(h.id + k * 97, 1800), DATE '2026-01-01' + mod(h.id + k * 97, 1800),
              'clear', 'REF' || h.id || '-' || k, now(), 1
       FROM licence_holders h CROSS JOIN generate_series(1, 10) AS k""",
]


def _percentile(samples, p):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def _timed(fn, terms, rounds):
    for term in terms:  # warm up
        fn(term)
    samples = []
    for _ in range(rounds):
        for term in terms:
            start = time.perf_counter()
            fn(term)
            samples.append(time.perf_counter() - start)
    return samples


def _floor(sql_for, terms, rounds):
    """Each search's page statement alone, as one SQL statement on a raw connection."""
    connection = db.engine.raw_connection()
    try:
        cursor = connection.cursor()

        def run(term):
            cursor.execute(sql_for(term))
            cursor.fetchall()

        return _timed(run, terms, rounds)
    finally:
        connection.close()


def _compiled(statement):
    return str(statement.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))


def _holder_page_sql(term):
    return _compiled(page_statement(term, per_page=25))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--holders", type=int, default=150_000)
    parser.add_argument("--rounds", type=int, default=20, help="passes over the query mix")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of sample searches")
    args = parser.parse_args()
    rng = random.Random(2015)
    server = TemporaryPostgres(fsync=False).start()
    workdir = tempfile.mkdtemp(prefix="bench-register-")
    try:
        url = server.create_database("bench")
        app = create_app({"SQLALCHEMY_DATABASE_URI": url}, environ={"LICENSING_ENV": "testing"})
        with app.app_context():
            upgrade()
            figures = _run(app, args, rng, workdir)
            db.session.remove()
            db.engine.dispose()
    finally:
        server.stop()
    _print(figures, args.holders)


def _run(app, args, rng, workdir):
    figures = []
    path = os.path.join(workdir, "holders.csv")
    _write_holders_csv(path, args.holders, rng)
    start = time.perf_counter()
    result = run_import(HolderImporter(), path)
    db.session.commit()
    import_seconds = time.perf_counter() - start
    assert result.ok and result.created == args.holders, result.errors[:5]
    figures.append((f"import {args.holders:,} holders (s)", import_seconds, None, None, "< 60 s"))
    start = time.perf_counter()
    result = run_import(HolderImporter(), path, dry_run=True)
    db.session.rollback()
    figures.append(("re-import check, all unchanged (s)", time.perf_counter() - start, None, None, ""))

    connection = db.session.connection()
    for statement in GENERATE:
        connection.exec_driver_sql(statement)
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
    counts = {t: db.session.scalar(sa.text(f"SELECT count(*) FROM {t}"))  # noqa: S608 - fixed names
              for t in ("licence_holders", "licences", "vehicles", "compliance_checks", "audit_events")}
    print("rows:", ", ".join(f"{k} {v:,}" for k, v in counts.items()))

    terms = ["smith", "Aisha Jones", "ohnso", "kowalski", "wilsonley", "H0074321", "DRV/12345", "drv/99999",
             "B4242", "VEH/300", "bx 00 00 300", "bx0001500", "PL42", "DV0000054321XY",
             "3/3/1970", "1961-07-14", "14 July 1975", "Taylor, Grace", "nomatchatall"]
    if args.explain:
        for term in ["smith", "ohnso", "DRV/12345", "bx 00 00 300", "3/3/1970"]:
            plan = db.session.execute(sa.text("EXPLAIN (ANALYZE, BUFFERS) " + _holder_page_sql(term))).scalars()
            print(f"\n-- EXPLAIN ANALYZE search {term!r}\n" + "\n".join(plan))

    floor = _floor(_holder_page_sql, terms, args.rounds)
    fn = _timed(lambda t: search_holders(t, per_page=25), terms, args.rounds)
    figures.append(("search_holders() p95 (ms)", _percentile(fn, 95), _percentile(fn, 50),
                    _percentile(floor, 95), "< 50 ms"))
    filtered = _timed(lambda t: search_holders(t, status="active", licence_type="private_hire_driver"),
                      terms, max(1, args.rounds // 4))
    figures.append(("search_holders() + filters p95 (ms)", _percentile(filtered, 95), _percentile(filtered, 50),
                    None, "< 50 ms"))
    anchor = db.session.scalar(sa.select(LicenceHolder.id).order_by(holder_sort_name()).offset(100_000 % args.holders))
    deep = _timed(lambda t: search_holders(after=anchor), [""], args.rounds * 5)
    figures.append(("browse, page after holder #100,000 p95 (ms)", _percentile(deep, 95), _percentile(deep, 50),
                    None, "< 50 ms"))

    client = _signed_in_client(app)
    page = _timed(lambda t: _get(client, "/holders/", q=t), terms, args.rounds)
    figures.append(("GET /holders/?q= p95 (ms)", _percentile(page, 95), _percentile(page, 50),
                    _percentile(floor, 95), "< 50 ms"))
    public = _timed(lambda t: register_page(t), terms, args.rounds)
    figures.append(("public register query p95 (ms)", _percentile(public, 95), _percentile(public, 50), None, ""))
    holder_rule = next((r for r in app.url_map.iter_rules()
                        if r.rule.startswith("/holders/<") and r.rule.count("<") == 1 and "GET" in r.methods), None)
    if holder_rule is not None:
        ids = [rng.randrange(1, args.holders + 1) for _ in range(50)]
        arg = next(iter(holder_rule.arguments))
        with app.test_request_context():
            from flask import url_for
            urls = {i: url_for(holder_rule.endpoint, **{arg: i}) for i in ids}
        pages = _timed(lambda i: _get(client, urls[i]), ids, max(1, args.rounds // 4))
        one_holder = sa.select(LicenceHolder.__table__).where(LicenceHolder.id == sa.bindparam("i"))
        holder_floor = _floor(lambda i: _compiled(one_holder.params(i=i)), ids, max(1, args.rounds // 4))
        figures.append((f"GET {holder_rule.rule} p95 (ms)", _percentile(pages, 95), _percentile(pages, 50),
                        _percentile(holder_floor, 95), "< 100 ms"))
    else:
        figures.append(("holder page: no /holders/<id> route on this branch", None, None, None, "< 100 ms"))
    return figures


def _signed_in_client(app):
    import pyotp

    user = User(email="bench@example.gov.uk", name="Bench Officer", role=Role.OFFICER, has_clearance=True,
                password_hash=hash_password(PASSWORD), totp_secret=pyotp.random_base32(),
                totp_confirmed_at=dt.datetime(2026, 1, 1))
    db.session.add(user)
    db.session.commit()
    client = app.test_client()
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    response = client.post("/auth/two-factor", data={"code": pyotp.TOTP(user.totp_secret).now()})
    assert response.status_code == 302 and response.location.endswith("/home"), response.status_code
    logging.getLogger("licensing").setLevel(logging.WARNING)  # request logs would be timed too
    return client


def _get(client, path, **params):
    response = client.get(path, query_string=params)
    assert response.status_code == 200, (path, response.status_code)
    return response


def _print(figures, holders):
    print(f"\nRegister benchmark, {holders:,} holders, PostgreSQL (warm, server-side)")
    print(f"{'measure':<48}{'value':>10}{'p50':>10}{'SQL floor':>11}  target")
    for name, value, p50, floor, target in figures:
        def cell(x):
            return f"{x:>10.1f}" if x is not None else f"{'-':>10}"
        print(f"{name:<48}{cell(value)}{cell(p50)} {cell(floor)}  {target}")


if __name__ == "__main__":
    main()

"""The benchmark's hand-written SQL statements (the floors `make bench` measures the quarterly
report and the daily expiry scan against) compute what the product computes: on a council with
drivers, vehicles and operators like the London population, they give the report's own figures
and the scan's own counts. PostgreSQL only, as the benchmark is."""

import sqlalchemy as sa

from bench import reports
from bench.expiry_scan import floor_counts
from bench.run import TODAY
from licensing.extensions import db
from licensing.jobs.scan import DEFAULT_LEAD_DAYS, materialise_due_items
from tests.conftest import _truncate_all, build_app


def test_the_benchmark_floors_compute_what_the_product_computes(postgres_database):
    from licensing.demo.council import build_demo_council, ensure_demo_users
    from licensing.reviews.operations.guidance import ensure_bundled_edition

    url, cleaner = postgres_database
    _truncate_all(cleaner)
    app = build_app(url)
    try:
        with app.app_context():
            ensure_demo_users()
            ensure_bundled_edition(None)
            build_demo_council(people=900, operators=18, vehicle_share=0.8, seed=2015, today=TODAY)
            db.session.commit()

            report = reports._report_figures()
            db.session.rollback()
            by_hand = reports._sql_figures()
            db.session.rollback()
            assert [(holders, adhering) for _, holders, adhering in report["trend"]] == \
                [(holders, adhering) for _, holders, adhering in by_hand[:4]]
            assert 0 < report["adhering"] < report["holders"]
            assert by_hand[4] == ("not adhering", report["licences_listed"]) and report["licences_listed"] > 0

            due, items_due = materialise_due_items(TODAY, DEFAULT_LEAD_DAYS)
            overdue = db.session.scalar(sa.select(sa.func.count()).where(due.c.due_on < TODAY))
            db.session.rollback()
            assert floor_counts({"today": TODAY}) == (overdue, items_due)
            assert 0 < overdue < items_due
    finally:
        with app.app_context():
            db.engine.dispose()
        _truncate_all(cleaner)

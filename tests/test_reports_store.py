"""Closed quarters are facts: the quarterly report stored once (by the scheduler's job or the
command line) reads exactly as the live computation in every format and on both databases; its
hash verifies; a correction invalidates it; the page lists the licences not adhering a page at a
time by key; the CSV is produced in bounded pieces."""

import datetime as dt

import pytest
import sqlalchemy as sa

from licensing.extensions import db
from licensing.jobs.runner import run_job
from licensing.models import AuditEvent, JobRunStatus, StoredReport
from licensing.reports import paged, store
from licensing.reports.document import all_rows
from licensing.reports.periods import Quarter
from licensing.reports.quarterly import LISTING, quarterly
from licensing.reports.render import csv_chunks, to_csv, to_pdf, to_xlsx
from tests.conftest import login
from tests.support.pdf import pdf_text
from tests.support.reports import html_table, xlsx_table
from tests.test_reports_quarterly import Q2, _load

AFTER_Q2 = dt.date(2016, 10, 5)


def _with_demo(app, tmp_path):
    """The quarterly test council, and a generated one beside it for a longer listing."""
    _load(app, tmp_path)
    with app.app_context():
        from licensing.demo.council import build_demo_council, ensure_demo_users

        ensure_demo_users()
        build_demo_council(holders=150, seed=11, today=dt.date(2016, 9, 1))
        db.session.commit()


def _text(report):
    return [(t.key, t.title, all_rows(t), t.notes, t.chart) for t in report.tables]


def test_the_stored_quarter_reads_exactly_as_the_live_computation(app, tmp_path):
    _with_demo(app, tmp_path)
    with app.app_context():
        stored = store.store_quarter(Q2, reason="test")
        db.session.commit()
        live = quarterly(Q2)
        db.session.expire_all()
        from_store = store.as_report(db.session.get(StoredReport, stored.id))
        assert stored.rows_stored == len(live.table(LISTING).rows) > 10
        assert _text(from_store) == _text(live)
        assert (from_store.title, from_store.period, from_store.filename, from_store.notes) == (
            live.title, live.period, live.filename, live.notes)
        assert to_csv(from_store) == to_csv(live)
        for key in ("measure", "by_type", "trend", "reasons", "enforcement", LISTING):
            assert xlsx_table(to_xlsx(from_store), key) == xlsx_table(to_xlsx(live), key), key
        assert pdf_text(to_pdf(from_store)) == pdf_text(to_pdf(live))
        assert store.content_hash(stored) == stored.content_hash and len(stored.content_hash) == 64
        assert stored.inputs["policy_edition"] and stored.inputs["audit_event"] > 0
        event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "report.stored")).one()
        assert event.entity_id == stored.id and event.after["content_hash"] == stored.content_hash


def test_the_page_and_downloads_serve_a_closed_quarter_from_the_store(app, users, tmp_path):
    _with_demo(app, tmp_path)
    client = app.test_client()
    login(client, users["manager"])
    args = {"quarter": Q2.name}
    live_page = client.get("/reports/quarterly", query_string=args).get_data(as_text=True)
    live_csv = client.get("/reports/quarterly/export", query_string={**args, "format": "csv"}).data
    assert "stored when the quarter closed" not in live_page
    result = app.test_cli_runner().invoke(args=["report", "store", "--quarter", Q2.name])
    assert result.exit_code == 0 and "stored" in result.output, result.output
    stored_page = client.get("/reports/quarterly", query_string=args).get_data(as_text=True)
    assert "stored when the quarter closed" in stored_page
    for key in ("measure", "by_type", "trend", "reasons", "enforcement", LISTING):
        assert html_table(stored_page, key) == html_table(live_page, key), key
    assert client.get("/reports/quarterly/export", query_string={**args, "format": "csv"}).data == live_csv

    verify = app.test_cli_runner().invoke(args=["report", "stored", "--verify"])
    assert verify.exit_code == 0 and "hash OK" in verify.output, verify.output
    # A correction behind the figures: the stored report stops being served until stored again.
    result = app.test_cli_runner().invoke(args=["report", "invalidate", "--quarter", Q2.name,
                                                "--reason", "A DBS check was recorded against the wrong holder"])
    assert result.exit_code == 0, result.output
    assert "stored when the quarter closed" not in client.get("/reports/quarterly", query_string=args).get_data(
        as_text=True)
    with app.app_context():
        kept = db.session.scalars(sa.select(StoredReport)).one()
        assert kept.invalidated_at is not None and "wrong holder" in kept.invalidated_reason
    this_quarter = Quarter.containing(dt.date.today()).name
    refused = app.test_cli_runner().invoke(args=["report", "store", "--quarter", this_quarter])
    assert refused.exit_code != 0 and "not ended" in refused.output


def test_the_listing_pages_by_key_from_the_store_and_live(app, tmp_path):
    _with_demo(app, tmp_path)
    with app.app_context():
        every = [list(r) for r in quarterly(Q2).table(LISTING).rows]
        store.store_quarter(Q2)
        db.session.commit()
        for today in (AFTER_Q2, Q2.end):  # from the store, then live (the quarter not yet closed)
            report, page, stored = paged.quarterly_page(Q2, today, per_page=4)
            assert (stored is not None) == (today == AFTER_Q2)
            assert report.table(LISTING).rows == page.rows == every[:4] and page.previous_key is None
            seen, pages = list(page.rows), [page]
            while page.next_key is not None:
                _, page, _ = paged.quarterly_page(Q2, today, after=page.next_key, per_page=4)
                seen += page.rows
                pages.append(page)
            assert seen == every and page.total == len(every)
            _, back, _ = paged.quarterly_page(Q2, today, before=pages[-1].previous_key, per_page=4)
            assert back.rows == pages[-2].rows
            assert paged.quarterly_page(Q2, today, after="nonsense", per_page=4)[1].rows == every[:4]


@pytest.mark.clean_database  # the job's lock is taken on its own connection
def test_the_scheduler_stores_each_closed_quarter_once(app):
    with app.app_context():
        first = run_job("store_closed_quarters", AFTER_Q2)
        assert first.status == JobRunStatus.SUCCEEDED and first.counts["quarters_stored"] == 1
        assert first.counts["quarters"] == Q2.name
        again = run_job("store_closed_quarters", AFTER_Q2 + dt.timedelta(days=1))
        assert again.counts["quarters_stored"] == 0
        later = run_job("store_closed_quarters", dt.date(2017, 4, 2))
        assert later.counts["quarters"] == "2016-17-Q4, 2016-17-Q3"
        assert store.current(Q2) is not None and store.current(Q2.next().next()) is not None


def test_the_csv_is_produced_in_bounded_pieces(app, tmp_path):
    _with_demo(app, tmp_path)
    with app.app_context():
        report = quarterly(Q2)
        pieces = list(csv_chunks(report, chunk_bytes=512))
        assert len(pieces) > 5 and max(len(p) for p in pieces) < 512 + 1024
        assert b"".join(pieces) == to_csv(report)


@pytest.mark.clean_database  # the file is made on a background thread, on its own connection
def test_a_large_excel_download_is_made_in_the_background_kept_a_day_and_audited(app, users, tmp_path,
                                                                                    monkeypatch):
    import os
    import time

    from licensing.models import ReportExport, User
    from licensing.reports import exports

    _with_demo(app, tmp_path)
    modes = []
    real_open = os.open
    monkeypatch.setattr(exports.os, "open", lambda path, flags, mode=0o777: modes.append(mode) or real_open(
        path, flags, mode))
    monkeypatch.setitem(app.config, "REPORT_BACKGROUND_ROWS", 5)
    client = app.test_client()
    login(client, users["manager"])
    offer = client.get("/reports/quarterly/export", query_string={"quarter": Q2.name, "format": "xlsx"})
    assert offer.status_code == 200 and "Prepare the download" in offer.get_data(as_text=True)
    asked = client.post("/reports/exports", data={"quarter": Q2.name, "fmt": "xlsx"})
    assert asked.status_code == 302 and "/reports/exports/" in asked.location
    asked.close()  # the response is sent: the making begins
    progress = asked.location
    for _ in range(600):
        page = client.get(progress).get_data(as_text=True)
        if "Ready" in page or "could not" in page:
            break
        time.sleep(0.1)
    assert "Ready" in page, page
    token = progress.rstrip("/").rsplit("/", 1)[1]
    workbook = client.get(f"/reports/exports/{token}/file")
    assert workbook.status_code == 200 and "attachment" in workbook.headers["Content-Disposition"]
    assert modes and set(modes) == {0o600}  # our file, and the temporary files openpyxl writes
    with app.app_context():
        live = to_xlsx(quarterly(Q2))
        for key in ("measure", "trend", LISTING):
            assert xlsx_table(workbook.data, key) == xlsx_table(live, key), key
        actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.entity_type == "report_exports")
                                     .order_by(AuditEvent.id)).all()
        assert actions == ["report.export_requested", "report.export_made", "report.export_downloaded"]
        export = db.session.scalars(sa.select(ReportExport)).one()
        manager_id = db.session.scalar(sa.select(User.id).where(User.email == users["manager"]))
        assert export.requested_by_id == manager_id
        assert exports.state(export, export.finished_at + dt.timedelta(hours=23)) == "done"
        assert exports.state(export, export.finished_at + dt.timedelta(hours=25)) == "expired"
    panel = app.test_client()
    login(panel, users["panel"])
    assert panel.get(progress).status_code == 404 and panel.get(f"/reports/exports/{token}/file").status_code == 404
    assert client.get("/reports/exports/not-a-token").status_code == 404
    with app.app_context():
        assert exports.remove_expired(dt.datetime.now() + dt.timedelta(days=2)) == 1
        db.session.commit()
    assert client.get(progress).status_code == 404

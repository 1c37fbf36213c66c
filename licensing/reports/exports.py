"""Large report downloads made in the background, never on a request thread.

A download over the size threshold (REPORT_BACKGROUND_ROWS licences in force for the quarterly
report) is asked for by a form; the request records it (audited) and answers at once with a
progress page. One background thread in each worker process makes the queued files one at a time:
the file is written to a private temporary file (mode 0600), then kept in the database for a day,
so either app server can hand it over, at an unguessable address given only to the one who asked
(and only to a user who may read reports). Each download of it is audited too. A file that a stopped
worker left unfinished shows as failed after STALE_AFTER."""

import datetime as dt
import logging
import os
import secrets
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from licensing import audit
from licensing.compliance.due import IN_FORCE
from licensing.extensions import db
from licensing.models import Licence, ReportExport
from licensing.models.base import utcnow
from licensing.reports.periods import Quarter
from licensing.reports.render import csv_chunks, to_pdf, to_xlsx
from licensing.reports.store import quarterly_report

log = logging.getLogger("licensing.reports")
KEPT_FOR = dt.timedelta(days=1)
STALE_AFTER = dt.timedelta(minutes=15)
OWNER_ONLY = 0o600
_executor = None
_executor_lock = threading.Lock()


def is_large(quarter, threshold):
    """Whether the quarterly report's download is over the threshold: the licences in force (the
    listing is at most that long; known without computing the report)."""
    del quarter  # every quarter lists from the licences in force now
    in_force = db.session.scalar(sa.select(sa.func.count()).select_from(Licence).where(Licence.status.in_(IN_FORCE)))
    return in_force > threshold


def request_export(actor, quarter, fmt):
    """Record the request (queued, audited). Flushes; the caller commits, then `start`s it."""
    export = ReportExport(token=secrets.token_urlsafe(32), requested_by_id=actor.id, kind="quarterly",
                          params={"quarter": quarter.name}, fmt=fmt, status="queued", requested_at=utcnow())
    db.session.add(export)
    audit.record(actor, "report.export_requested", export,
                 after={"kind": export.kind, "quarter": quarter.name, "format": fmt})
    return export


def state(export, now=None):
    """queued, running, done, failed, or expired; unfinished work of a stopped worker is failed."""
    now = now or utcnow()
    if export.status == "done" and export.expires_at is not None and export.expires_at <= now:
        return "expired"
    if export.status in ("queued", "running") and export.requested_at + STALE_AFTER < now:
        return "failed"
    return export.status


def record_download(actor, export):
    audit.record(actor, "report.export_downloaded", export,
                 after={"kind": export.kind, "format": export.fmt, "size": export.size, **export.params})


def start(app, export_id):
    """Queue the making of export `export_id` on this process's background thread."""
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="report-export")
    return _executor.submit(_produce_in_app, app, export_id)


def _produce_in_app(app, export_id):
    with app.app_context():
        try:
            produce(export_id, council_name=app.config.get("COUNCIL_NAME", ""))
        finally:
            db.session.remove()


def _write(report, fmt, handle, council_name):
    if fmt == "csv":
        for piece in csv_chunks(report):
            handle.write(piece)
    elif fmt == "xlsx":
        to_xlsx(report, council_name, out=handle)
    else:
        handle.write(to_pdf(report, council_name))


def produce(export_id, today=None, council_name=""):
    """Make the file of a queued export and keep it for a day (commits its own transactions)."""
    export = db.session.get(ReportExport, export_id)
    if export is None or export.status != "queued":
        return None
    export.status, export.started_at = "running", utcnow()
    db.session.commit()
    try:
        quarter = Quarter.parse(export.params["quarter"])
        report, _stored = quarterly_report(quarter, today or dt.date.today())
        directory = tempfile.mkdtemp(prefix="report-export-")  # mode 0700
        path = os.path.join(directory, "export")
        try:
            with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY), "wb") as handle:
                _write(report, export.fmt, handle, council_name)
            with open(path, "rb") as handle:
                content = handle.read()
        finally:
            if os.path.exists(path):
                os.remove(path)
            os.rmdir(directory)
        export.content, export.size = content, len(content)
        export.filename = f"{report.filename}.{export.fmt}"
        export.status, export.finished_at = "done", utcnow()
        export.expires_at = export.finished_at + KEPT_FOR
        audit.record(None, "report.export_made", export, after={"size": export.size, "format": export.fmt})
        db.session.commit()
    except Exception as error:  # recorded on the export; the thread carries on with the next
        db.session.rollback()
        log.exception("report export %s failed", export_id)
        export = db.session.get(ReportExport, export_id)
        export.status, export.finished_at, export.error = "failed", utcnow(), type(error).__name__
        db.session.commit()
    return export


def remove_expired(now=None):
    """Delete the exports past their day (and failed ones as old). Returns how many."""
    now = now or utcnow()
    old = sa.or_(ReportExport.expires_at <= now, ReportExport.requested_at < now - KEPT_FOR)
    ids = list(db.session.scalars(sa.select(ReportExport.id).where(old)))
    if ids:
        db.session.execute(sa.delete(ReportExport).where(ReportExport.id.in_(ids)))
        audit.record(None, "report.exports_removed", entity_type="report_exports", after={"count": len(ids)})
    return len(ids)

"""Closed quarters are facts: the quarterly report of a quarter that has ended is computed once
(by the scheduler's `store_closed_quarters` job, or `flask report store` after a correction),
stored with the edition of its inputs and a SHA-256 of its content, and served from here. The
current quarter, and a closed one not stored yet, are computed live.

A stored report is never changed: a correction of the data or policy behind it invalidates it
(`flask report invalidate`, kept for the record with its reason) and the next computation stores
a new one."""

import datetime as dt
import hashlib
import json
from decimal import Decimal

import sqlalchemy as sa

from licensing import audit
from licensing.compliance.due import policy_path
from licensing.extensions import db
from licensing.models import AuditEvent, StoredReport, StoredReportRow
from licensing.models.base import utcnow
from licensing.policy.requirements import edition_on
from licensing.reports.document import Chart, Drill, Report, Table
from licensing.reports.periods import Quarter
from licensing.reports.quarterly import LISTING, quarterly

KIND = "quarterly"
INSERT_BATCH = 5000
READ_BATCH = 2000


def is_closed(quarter, today):
    """A quarter is closed, and its measure a fact, from the day after its last day."""
    return quarter.end < today


# ---------------------------------------------------------------------------------------------
# Cells as JSON, and back: a stored report reads exactly as the live one in every format.


def _encode(value):
    if isinstance(value, Drill):
        return {"drill": _encode(value.value), "params": value.params}
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    return value


def _decode(value):
    if not isinstance(value, dict):
        return value
    if "drill" in value:
        return Drill(_decode(value["drill"]), value["params"])
    if "datetime" in value:
        return dt.datetime.fromisoformat(value["datetime"])
    if "date" in value:
        return dt.date.fromisoformat(value["date"])
    return Decimal(value["decimal"])


def _table_figures(table):
    chart = table.chart
    return {
        "key": table.key, "title": table.title, "columns": list(table.columns),
        "rows": [[_encode(c) for c in row] for row in table.rows] if table.key != LISTING else [],
        "total": [_encode(c) for c in table.total] if table.total else None,
        "notes": list(table.notes), "numeric_from": table.numeric_from,
        "chart": None if chart is None else {
            "kind": chart.kind, "title": chart.title, "labels": list(chart.labels),
            "values": [_encode(v) for v in chart.values], "target": chart.target, "unit": chart.unit},
    }


def _figures(report):
    return {"title": report.title, "period": report.period, "filename": report.filename,
            "notes": list(report.notes), "tables": [_table_figures(t) for t in report.tables]}


def _canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


class StoredRows:
    """The listing's rows read from the store in batches as they are iterated (the downloads
    stream them); `len()` is known without reading them."""

    def __init__(self, report_id, count):
        self.report_id, self.count = report_id, count

    def __len__(self):
        return self.count

    def __bool__(self):
        return self.count > 0

    def __iter__(self):
        query = (sa.select(StoredReportRow.cells).where(StoredReportRow.report_id == self.report_id)
                 .order_by(StoredReportRow.position).execution_options(yield_per=READ_BATCH))
        for (cells,) in db.session.execute(query):
            yield cells


def _table(data, report_id, rows_stored, list_limit):
    chart = data["chart"]
    rows = [[_decode(c) for c in row] for row in data["rows"]]
    more = 0
    if data["key"] == LISTING:
        if list_limit is None:
            rows = StoredRows(report_id, rows_stored)
        else:
            rows, more = first_rows(report_id, list_limit), max(rows_stored - list_limit, 0)
    return Table(data["key"], data["title"], data["columns"], rows,
                 [_decode(c) for c in data["total"]] if data["total"] else None, data["notes"],
                 None if chart is None else Chart(chart["kind"], chart["title"], chart["labels"],
                                                  [_decode(v) for v in chart["values"]], chart["target"],
                                                  chart["unit"]),
                 data["numeric_from"], more)


def as_report(stored, list_limit=None):
    """The Report held by `stored`: its listing streamed from the store, or only its first
    `list_limit` rows."""
    figures = stored.figures
    tables = [_table(t, stored.id, stored.rows_stored, list_limit) for t in figures["tables"]]
    return Report(KIND, figures["title"], figures["period"], tables, figures["filename"], figures["notes"])


def first_rows(report_id, limit):
    return [cells for (cells,) in db.session.execute(
        sa.select(StoredReportRow.cells).where(StoredReportRow.report_id == report_id)
        .order_by(StoredReportRow.position).limit(limit))]


# ---------------------------------------------------------------------------------------------
# Reading and writing the store


def current(quarter):
    """The stored report of `quarter` in force (not invalidated), or None."""
    return db.session.scalars(
        sa.select(StoredReport).where(StoredReport.kind == KIND, StoredReport.period == quarter.name,
                                      StoredReport.invalidated_at.is_(None))
        .order_by(StoredReport.id.desc()).limit(1)).first()


def inputs_edition(quarter):
    """What the figures were computed from: the policy edition in force at the quarter end, the
    policy file's hash, and the last row of the audit trail (every change to the data writes one)."""
    path = policy_path()
    with open(path, "rb") as handle:
        policy_hash = hashlib.sha256(handle.read()).hexdigest()
    return {"policy_edition": edition_on(quarter.end, path).edition, "policy_sha256": policy_hash,
            "audit_event": db.session.scalar(sa.select(sa.func.max(AuditEvent.id))) or 0}


def store_quarter(quarter, actor=None, reason=None):
    """Compute the quarter's report live and store it (the stored one it replaces, if any, is
    invalidated). Flushes; the caller commits. Returns the StoredReport."""
    previous = current(quarter)
    if previous is not None:
        invalidate(previous, reason or "Computed again", actor)
    inputs = inputs_edition(quarter)
    # A stored report is the fact at the quarter end, whatever day it is computed on.
    report = quarterly(quarter, today=quarter.next().start)
    figures = _figures(report)
    digest = hashlib.sha256(_canonical(figures))
    listing = report.table(LISTING).rows
    stored = StoredReport(kind=KIND, period=quarter.name, computed_at=utcnow(), inputs=inputs,
                          content_hash="", figures=figures, rows_stored=len(listing))
    db.session.add(stored)
    db.session.flush()
    table = StoredReportRow.__table__
    for start in range(0, len(listing), INSERT_BATCH):
        batch = [{"report_id": stored.id, "position": start + k, "cells": list(row)}
                 for k, row in enumerate(listing[start:start + INSERT_BATCH])]
        for item in batch:
            digest.update(_canonical(item["cells"]))
        db.session.execute(table.insert(), batch)
    stored.content_hash = digest.hexdigest()
    audit.record(actor, "report.stored", stored, after={"kind": KIND, "period": quarter.name,
                                                        "content_hash": stored.content_hash,
                                                        "rows": stored.rows_stored, **inputs}, reason=reason)
    return stored


def invalidate(stored, reason, actor=None):
    """Mark a stored report as no longer the fact (its data or policy was corrected)."""
    stored.invalidated_at = utcnow()
    stored.invalidated_reason = reason
    audit.record(actor, "report.invalidated", stored, after={"period": stored.period}, reason=reason)
    db.session.flush()
    return stored


def content_hash(stored):
    """The hash of what is stored now, to compare with `stored.content_hash`."""
    digest = hashlib.sha256(_canonical(stored.figures))
    for cells in StoredRows(stored.id, stored.rows_stored):
        digest.update(_canonical(cells))
    return digest.hexdigest()


def closed_quarters_missing(first, today):
    """The closed quarters from `first` on with no stored report in force, oldest first."""
    stored = set(db.session.scalars(sa.select(StoredReport.period).where(
        StoredReport.kind == KIND, StoredReport.invalidated_at.is_(None))))
    quarters, quarter = [], first
    while is_closed(quarter, today):
        if quarter.name not in stored:
            quarters.append(quarter)
        quarter = quarter.next()
    return quarters


def quarterly_report(quarter, today, list_limit=None):
    """(report, stored or None): from the store for a closed, stored quarter, else computed live."""
    stored = current(quarter) if is_closed(quarter, today) else None
    if stored is not None:
        return as_report(stored, list_limit), stored
    return quarterly(quarter, list_limit=list_limit, today=today), None


__all__ = ["Quarter", "as_report", "closed_quarters_missing", "current", "invalidate", "is_closed",
           "quarterly_report", "store_quarter"]

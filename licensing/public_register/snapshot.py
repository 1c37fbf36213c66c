"""The public register CSV as a file: written by the scheduler (nightly, and every quarter of an
hour when the register may have changed) or by the first request that finds none, and served as a
static file with ETag, Last-Modified and Cache-Control. A download then costs a file read, not a
query over every published licence, so anonymous clients cannot stall the officers' pages.

Whether the register may have changed is read from the audit chain's length (one row): every
change to a holder, licence or vehicle writes an audit row."""

import json
import os
import threading

import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import AuditChainHead
from licensing.models.base import utcnow
from licensing.public_register.queries import CSV_COLUMNS, register_csv_rows
from licensing.text import csv_line

_building = threading.Lock()


def _chain_length():
    return db.session.scalar(sa.select(AuditChainHead.length).where(AuditChainHead.id == 1)) or 0


def _meta_path(path):
    return f"{path}.json"


def read_meta(path):
    try:
        with open(_meta_path(path)) as meta:
            return json.load(meta)
    except (OSError, ValueError):
        return None


def write_snapshot(path):
    """Write the whole public register to `path` (atomically: readers see the old file or the new
    one, never half of one); returns the number of rows."""
    length = _chain_length()
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    partial = f"{path}.partial-{os.getpid()}-{threading.get_ident()}"
    rows = 0
    with open(partial, "w", encoding="utf-8", newline="") as out:
        out.write(csv_line(CSV_COLUMNS))
        for row in register_csv_rows():
            out.write(csv_line(row))
            rows += 1
    os.replace(partial, path)
    with open(f"{_meta_path(path)}.partial", "w") as meta:
        json.dump({"rows": rows, "audit_length": length, "written_at": utcnow().isoformat()}, meta)
    os.replace(f"{_meta_path(path)}.partial", _meta_path(path))
    return rows


def refresh_snapshot(path, max_age_hours=24):
    """The scheduler's step: rewrite the file if the register may have changed since it was
    written, or it is older than `max_age_hours`; returns the rows written (0 if unchanged)."""
    meta = read_meta(path)
    fresh = (meta is not None and os.path.exists(path) and meta.get("audit_length") == _chain_length()
             and (utcnow().timestamp() - os.path.getmtime(path)) < max_age_hours * 3600)
    return 0 if fresh else write_snapshot(path)


def ensure_snapshot(path):
    """For a request: the file, written now (once per process at a time) only if there is none."""
    if not os.path.exists(path):
        with _building:
            if not os.path.exists(path):
                write_snapshot(path)
    return path

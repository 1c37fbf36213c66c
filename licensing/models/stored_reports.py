"""Reports of closed periods kept as facts: computed once, stored with the edition of their inputs
and a hash of their content, and served from here instead of being computed again."""

import sqlalchemy as sa
import sqlalchemy.orm

from licensing.extensions import db
from licensing.models.base import utcnow


class StoredReport(db.Model):
    """One computation of a report for a closed period. The figures are the report's tables; its
    long listing is in StoredReportRow. A correction of the data or policy behind it marks it
    invalidated (it is kept, for the record) and the report is computed and stored again."""

    __tablename__ = "stored_reports"
    __table_args__ = (sa.Index("ix_stored_reports_kind_period", "kind", "period"),)

    id = sa.Column(sa.Integer, primary_key=True)
    kind = sa.Column(sa.String(30), nullable=False)  # "quarterly"
    period = sa.Column(sa.String(30), nullable=False)  # the quarter's name, 2016-17-Q2
    computed_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    inputs = sa.Column(sa.JSON, nullable=False)  # policy edition and file hash, the audit trail's last row
    content_hash = sa.Column(sa.String(64), nullable=False)  # SHA-256 of the figures and the rows
    figures = sa.Column(sa.JSON, nullable=False)
    rows_stored = sa.Column(sa.Integer, nullable=False, default=0)
    invalidated_at = sa.Column(sa.DateTime)
    invalidated_reason = sa.Column(sa.Text)


class StoredReportRow(db.Model):
    """A row of a stored report's listing, in the report's order (keyset paging by position)."""

    __tablename__ = "stored_report_rows"

    report_id = sa.Column(sa.Integer, sa.ForeignKey("stored_reports.id", ondelete="CASCADE"), primary_key=True)
    position = sa.Column(sa.Integer, primary_key=True, autoincrement=False)
    cells = sa.Column(sa.JSON, nullable=False)


class ReportExport(db.Model):
    """A large download produced in the background for the user who asked for it: queued, running,
    done (its file kept here for a day) or failed. Its address holds an unguessable token."""

    __tablename__ = "report_exports"

    id = sa.Column(sa.Integer, primary_key=True)
    token = sa.Column(sa.String(64), nullable=False, unique=True)  # unguessable, in the address
    requested_by_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"), nullable=False, index=True)
    kind = sa.Column(sa.String(30), nullable=False)
    params = sa.Column(sa.JSON, nullable=False)
    fmt = sa.Column(sa.String(8), nullable=False)
    status = sa.Column(sa.String(12), nullable=False, default="queued")  # queued, running, done, failed
    requested_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    started_at = sa.Column(sa.DateTime)
    finished_at = sa.Column(sa.DateTime)
    expires_at = sa.Column(sa.DateTime, index=True)
    filename = sa.Column(sa.String(200))
    size = sa.Column(sa.Integer)
    content = sa.orm.deferred(sa.Column(sa.LargeBinary))
    error = sa.Column(sa.Text)

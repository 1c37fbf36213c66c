"""The scheduler's record of job runs, its lock rows and its heartbeat."""

import sqlalchemy as sa

from licensing.extensions import db
from licensing.models.base import LabelledEnum, enum_column, utcnow


class JobRunStatus(LabelledEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    SKIPPED = "skipped"


class JobRun(db.Model):
    __tablename__ = "job_runs"

    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(60), nullable=False, index=True)
    run_for = sa.Column(sa.Date, nullable=False)
    started_at = sa.Column(sa.DateTime, nullable=False, default=utcnow, index=True)
    finished_at = sa.Column(sa.DateTime)
    status = enum_column(JobRunStatus, "job_run_status", nullable=False, default=JobRunStatus.RUNNING)
    counts = sa.Column(sa.JSON)
    error = sa.Column(sa.Text)


class JobLock(db.Model):
    """The lock row used where the database has no advisory locks (SQLite)."""

    __tablename__ = "job_locks"

    name = sa.Column(sa.String(60), primary_key=True)
    token = sa.Column(sa.String(40))
    locked_until = sa.Column(sa.DateTime)


class SchedulerHeartbeat(db.Model):
    """The scheduler that runs the schedule writes its row every minute; /healthz reports it, so a
    stopped scheduler (no reminders, no expiry scan) is seen from outside."""

    __tablename__ = "scheduler_heartbeats"

    name = sa.Column(sa.String(60), primary_key=True)  # "scheduler": one row
    beat_at = sa.Column(sa.DateTime, nullable=False)
    started_at = sa.Column(sa.DateTime, nullable=False)

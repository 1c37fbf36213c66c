"""Run one job: record the run, hold the job's lock, commit, record counts or the error."""

import datetime as dt
import logging
from dataclasses import dataclass

import sqlalchemy as sa

from licensing.extensions import db
from licensing.jobs import jobs
from licensing.jobs.locks import job_lock
from licensing.logs import JOB_ID, without_parameters
from licensing.models import JobRun, JobRunStatus
from licensing.models.base import utcnow

log = logging.getLogger("licensing.jobs")


@dataclass(frozen=True)
class JobContext:
    today: dt.date  # the business date the job runs for (`--today` travels in time)
    now: dt.datetime  # the clock for queue times: `today` at the current time of day


class UnknownJob(KeyError):
    pass


def run_job(name, today=None, once_per_day=False):
    """Run job `name` for `today` (default: the real date) and return its JobRun. With
    `once_per_day` (the scheduler's daily jobs) a job that already succeeded for that date is
    skipped: two schedulers, or a standby taking over, never run a daily job twice."""
    registry = jobs()
    if name not in registry:
        raise UnknownJob(name)
    started = utcnow()
    today = today or started.date()
    context = JobContext(today=today, now=dt.datetime.combine(today, started.time()))
    run = JobRun(name=name, run_for=today, started_at=started, status=JobRunStatus.RUNNING)
    db.session.add(run)
    db.session.commit()
    run_id = run.id
    token = JOB_ID.set(f"{name}-{run_id}")  # on every log line written while the job runs
    try:
        return _run(registry[name], run, run_id, context, once_per_day)
    finally:
        JOB_ID.reset(token)


def _run(job, run, run_id, context, once_per_day):
    name, today = job.name, context.today
    with job_lock(name) as acquired:
        if not acquired:
            run.status = JobRunStatus.SKIPPED
            run.error = "Another runner holds this job's lock."
        elif once_per_day and _succeeded_for(name, today, run_id):
            run.status = JobRunStatus.SKIPPED
            run.error = "Already ran for this date."
        else:
            try:
                counts = job.func(context)
                db.session.commit()
                run = db.session.get(JobRun, run_id)
                run.status, run.counts = JobRunStatus.SUCCEEDED, counts
            except Exception as error:  # recorded on the run; the scheduler carries on
                db.session.rollback()
                log.exception("job %s failed", name)
                run = db.session.get(JobRun, run_id)
                run.status = JobRunStatus.FAILED
                # Admins read this at /training/jobs: the SQL parameters (names, dates) are left out.
                run.error = f"{type(error).__name__}: {without_parameters(str(error))}"[:1000]
        run.finished_at = utcnow()
        db.session.commit()
    return run


def _succeeded_for(name, today, run_id):
    """Whether another run of the job succeeded for this date (read under the job's lock)."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(JobRun)
        .where(JobRun.name == name, JobRun.run_for == today, JobRun.status == JobRunStatus.SUCCEEDED,
               JobRun.id != run_id)
    ) > 0

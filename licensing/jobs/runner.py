"""Run one job: record the run, hold the job's lock, commit, record counts or the error."""

import datetime as dt
import logging
from dataclasses import dataclass

from licensing.extensions import db
from licensing.jobs import jobs
from licensing.jobs.locks import job_lock
from licensing.models import JobRun, JobRunStatus
from licensing.models.base import utcnow

log = logging.getLogger("licensing.jobs")


@dataclass(frozen=True)
class JobContext:
    today: dt.date  # the business date the job runs for (`--today` travels in time)
    now: dt.datetime  # the clock for queue times: `today` at the current time of day


class UnknownJob(KeyError):
    pass


def run_job(name, today=None):
    """Run job `name` for `today` (default: the real date) and return its JobRun."""
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
    with job_lock(name) as acquired:
        if not acquired:
            run.status = JobRunStatus.SKIPPED
            run.error = "Another runner holds this job's lock."
        else:
            try:
                counts = registry[name].func(context)
                db.session.commit()
                run = db.session.get(JobRun, run_id)
                run.status, run.counts = JobRunStatus.SUCCEEDED, counts
            except Exception as error:  # recorded on the run; the scheduler carries on
                db.session.rollback()
                log.exception("job %s failed", name)
                run = db.session.get(JobRun, run_id)
                run.status = JobRunStatus.FAILED
                run.error = f"{type(error).__name__}: {error}"[:1000]
        run.finished_at = utcnow()
        db.session.commit()
    return run

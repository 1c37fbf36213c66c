"""APScheduler in its own process. Each trigger runs the job through the runner, which takes
the job's database lock, so even a second scheduler by mistake cannot double-run a job.

On PostgreSQL the scheduler also holds a leader lock (a session advisory lock on its own
connection) while it runs the schedule: a second scheduler process waits as a standby and takes
over when the first stops or dies. Daily jobs run at most once per date when the scheduler runs
them (a standby taking over, or `--run-now`, skips a daily job that already ran today)."""

import contextlib
import zlib

import sqlalchemy as sa
from apscheduler.schedulers.blocking import BlockingScheduler

from licensing.jobs import jobs

LEADER_KEY = zlib.crc32(b"licensing.scheduler.leader")


def _run_in_app(app, name, once_per_day=False):
    from licensing.extensions import db
    from licensing.jobs.runner import run_job

    with app.app_context():
        try:
            run_job(name, once_per_day=once_per_day)
        finally:
            db.session.remove()


def _daily(job):
    return job.trigger.get("trigger") == "cron"


def build_scheduler(app, scheduler_class=BlockingScheduler):
    scheduler = scheduler_class(timezone=app.config.get("SCHEDULER_TIMEZONE", "Europe/London"))
    for job in jobs().values():
        scheduler.add_job(_run_in_app, args=(app, job.name, _daily(job)), id=job.name, name=job.description,
                          max_instances=1, coalesce=True, misfire_grace_time=3600, **job.trigger)
    return scheduler


def run_all_now(app, stop=None):
    """Catch up after downtime: every job once, in order (the scan queues reminders, then they are
    sent), daily jobs only if they have not run today. Stops early when `stop` is set."""
    for job in jobs().values():
        if stop is not None and stop.is_set():
            return
        _run_in_app(app, job.name, _daily(job))


@contextlib.contextmanager
def leadership(engine, stop, poll_seconds=2.0, on_standby=None):
    """Yield True once this process is the one scheduler that runs the schedule, or False if
    `stop` was set while waiting. The lock lasts as long as its connection: a scheduler that
    dies releases it, and the standby takes over within `poll_seconds`."""
    if engine.dialect.name != "postgresql":
        yield True  # SQLite: one machine; the per-job lock rows still keep runs apart
        return
    connection = engine.connect()
    try:
        waiting = False
        while not stop.is_set():
            got = connection.scalar(sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": LEADER_KEY})
            connection.commit()  # the lock is the session's; do not sit idle in a transaction
            if got:
                yield True
                return
            if not waiting and on_standby is not None:
                on_standby()
            waiting = True
            stop.wait(poll_seconds)
        yield False
    finally:
        connection.close()  # ends the session, and with it the lock

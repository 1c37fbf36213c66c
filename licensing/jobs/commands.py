"""`flask jobs run NAME [--today]`, `flask jobs list` and `flask scheduler run`."""

import sys

import click
from flask import current_app
from flask.cli import AppGroup

from licensing.jobs import jobs

jobs_cli = AppGroup("jobs", help="Run scheduled jobs by hand.")
scheduler_cli = AppGroup("scheduler", help="The scheduler process (run exactly one).")


@jobs_cli.command("list")
def list_jobs_command():
    """List the jobs and their schedules."""
    for job in jobs().values():
        schedule = ", ".join(f"{k}={v}" for k, v in job.trigger.items())
        click.echo(f"{job.name:<16} {schedule}\n    {job.description}")


@jobs_cli.command("run")
@click.argument("name")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Run as if today were this date.")
def run_job_command(name, today):
    """Run job NAME once (for --today, default the real date)."""
    from licensing.jobs.runner import UnknownJob, run_job

    try:
        run = run_job(name, today.date() if today else None)
    except UnknownJob:
        raise click.ClickException(f"no job called {name}; try: {', '.join(jobs())}") from None
    counts = ", ".join(f"{k}={v}" for k, v in (run.counts or {}).items())
    click.echo(f"{run.name} for {run.run_for}: {run.status.value} {counts}".rstrip())
    if run.error:
        click.echo(run.error, err=True)
    if run.status.value == "failed":
        raise SystemExit(1)


@scheduler_cli.command("run")
@click.option("--run-now", is_flag=True,
              help="First run every job once, in order (daily jobs that already ran today are skipped).")
def run_scheduler_command(run_now):
    """Run the scheduler in the foreground (one dedicated process, never in web workers).

    A second scheduler against the same PostgreSQL waits as a standby. SIGTERM or SIGINT stops
    the scheduler cleanly: no new job starts, and a running job finishes first."""
    import signal
    import threading

    from apscheduler.schedulers.background import BackgroundScheduler

    from licensing.extensions import db
    from licensing.jobs.heartbeat import HEARTBEAT_SECONDS, beat
    from licensing.jobs.scheduler import build_scheduler, leadership, run_all_now
    from licensing.models.base import utcnow

    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_args: stop.set())

    def say(message):
        click.echo(message)
        sys.stdout.flush()

    with leadership(db.engine, stop, on_standby=lambda: say("Another scheduler is running: waiting as standby")) \
            as leader:
        if not leader:
            say("Scheduler stopped (was standby)")
            return
        app = current_app._get_current_object()
        scheduler = build_scheduler(app, BackgroundScheduler)
        started_at = utcnow()
        beat(db.engine, started_at)  # alive from the start, even while --run-now catches up
        say("Scheduler started: " + ", ".join(j.id for j in scheduler.get_jobs()))
        # The heartbeat is not a job: it records no JobRun. The scheduler starts before the catch-up
        # so that the heartbeat goes on beating through a long --run-now.
        scheduler.add_job(beat, "interval", args=(db.engine, started_at), seconds=HEARTBEAT_SECONDS,
                          id="heartbeat", max_instances=1, coalesce=True)
        scheduler.start()
        if run_now:
            run_all_now(app, stop)
        while not stop.wait(1):
            pass
        say("Stopping: waiting for running jobs to finish")
        scheduler.shutdown(wait=True)
    say("Scheduler stopped")

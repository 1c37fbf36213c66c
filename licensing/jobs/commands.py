"""`flask jobs run NAME [--today]`, `flask jobs list` and `flask scheduler run`."""

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
def run_scheduler_command():
    """Run the scheduler in the foreground (one dedicated process, never in web workers)."""
    from licensing.jobs.scheduler import build_scheduler

    scheduler = build_scheduler(current_app._get_current_object())
    click.echo("Scheduler started: " + ", ".join(j.id for j in scheduler.get_jobs()))
    scheduler.start()

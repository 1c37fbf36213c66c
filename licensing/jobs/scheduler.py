"""APScheduler in its own process. Each trigger runs the job through the runner, which takes
the job's database lock, so even a second scheduler by mistake cannot double-run a job."""

from apscheduler.schedulers.blocking import BlockingScheduler

from licensing.jobs import jobs


def _run_in_app(app, name):
    from licensing.extensions import db
    from licensing.jobs.runner import run_job

    with app.app_context():
        try:
            run_job(name)
        finally:
            db.session.remove()


def build_scheduler(app, scheduler_class=BlockingScheduler):
    scheduler = scheduler_class(timezone=app.config.get("SCHEDULER_TIMEZONE", "Europe/London"))
    for job in jobs().values():
        scheduler.add_job(_run_in_app, args=(app, job.name), id=job.name, name=job.description,
                          max_instances=1, coalesce=True, misfire_grace_time=3600, **job.trigger)
    return scheduler

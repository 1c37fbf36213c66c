"""Scheduled jobs. Adding a job is one entry in JOBS: its function and its schedule.

A job function takes a JobContext and returns a dict of counts. The runner (runner.py) takes the
job's database lock, records the run, and commits; `flask jobs run NAME --today` runs one by hand.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Job:
    name: str
    func: object
    description: str
    trigger: dict = field(default_factory=dict)  # APScheduler add_job keyword arguments


def _registry():
    from licensing.jobs.checkpoint import audit_checkpoint
    from licensing.jobs.enforcement import enforcement_effects
    from licensing.jobs.lookups import dbs_rechecks
    from licensing.jobs.public_register import public_register_snapshot
    from licensing.jobs.reminders import send_reminders
    from licensing.jobs.retention import apply_retention
    from licensing.jobs.scan import expiry_scan
    from licensing.jobs.stored_reports import remove_expired_exports, store_closed_quarters
    from licensing.jobs.webhooks import deliver_webhooks

    jobs = (
        Job("expiry_scan", expiry_scan,
            "Flag checks, training and licences due within the lead times or overdue; queue reminders; "
            "propose and end suspensions until compliant.",
            {"trigger": "cron", "hour": 2, "minute": 15}),
        Job("send_reminders", send_reminders,
            "Send queued e-mails (reminders, and letters with their PDF), retrying failures with back-off.",
            {"trigger": "interval", "minutes": 5}),
        Job("retention", apply_retention,
            "Anonymise or delete records past their retention period, except under legal hold or pending action.",
            {"trigger": "cron", "hour": 3, "minute": 30}),
        Job("enforcement_effects", enforcement_effects,
            "Apply suspensions and revocations on their effective date, end suspensions, flag overdue badge and "
            "plate returns, NR3S entries and cross-border referrals.",
            {"trigger": "cron", "hour": 0, "minute": 5}),
        Job("dbs_rechecks", dbs_rechecks,
            "Check DBS certificates again on the DBS Update Service, with the holder's consent, when due "
            "(every six months by policy).",
            {"trigger": "cron", "hour": 6, "minute": 40}),
        Job("audit_checkpoint", audit_checkpoint,
            "Sign the audit trail's newest row and row count into the checkpoint file outside the database.",
            {"trigger": "interval", "minutes": 60}),
        Job("public_register_snapshot", public_register_snapshot,
            "Write the public register CSV file when the register may have changed (checked every 15 minutes; "
            "rewritten at least daily).",
            {"trigger": "interval", "minutes": 15}),
        Job("store_closed_quarters", store_closed_quarters,
            "Store the quarterly compliance report of each closed quarter not stored yet (newest first), "
            "to be served from the store.",
            {"trigger": "cron", "hour": 4, "minute": 10}),
        Job("remove_expired_exports", remove_expired_exports,
            "Delete the large report downloads made in the background once their day is over.",
            {"trigger": "interval", "hours": 1}),
        Job("deliver_webhooks", deliver_webhooks,
            "Send signed licence status events to the API's clients, retrying failures with back-off.",
            {"trigger": "interval", "minutes": 1}),
    )
    return {job.name: job for job in jobs}


def jobs():
    return _registry()

"""The daily expiry scan: flags (one per licence, requirement, due date and stage), reminders
queued in the same transaction, flags resolved once complied with, suspensions proposed/ended.

Set-based: the population is evaluated with a few queries (licensing.compliance), existing flag
keys are read in one query, and new flags are inserted in bulk, so a re-run creates nothing.
"""

import sqlalchemy as sa
from flask import current_app

from licensing.compliance import population_due_items
from licensing.extensions import db
from licensing.jobs.reminders import queue_flag_reminders
from licensing.models import ComplianceFlag, FlagStatus
from licensing.training.suspensions import end_suspensions_if_compliant, propose_suspensions

DEFAULT_LEAD_DAYS = (60, 30, 7)
OVERDUE = 0  # the stage of a flag for something already past its due date


def lead_days():
    return tuple(sorted(current_app.config.get("EXPIRY_LEAD_DAYS") or DEFAULT_LEAD_DAYS))


def stage_for(days_left, leads):
    """The reminder stage for an item `days_left` from due: the tightest lead time it is within."""
    if days_left < 0:
        return OVERDUE
    within = [lead for lead in leads if days_left <= lead]
    return min(within) if within else None


def expiry_scan(ctx):
    leads = lead_days()
    items = list(population_due_items(ctx.today))
    wanted = {}
    for item in items:
        stage = stage_for(item.days_left, leads)
        if stage is not None:
            wanted[(item.licence_id, item.requirement, item.due_on, stage)] = item
    created = _insert_new_flags(wanted, ctx.today)
    queued = queue_flag_reminders(created, ctx.now)
    resolved = _resolve_complied_flags({(i.licence_id, i.requirement): i.due_on for i in items}, ctx.today)
    counts = {"items_due": len(wanted), "flags_created": len(created), "reminders_queued": queued,
              "flags_resolved": resolved}
    counts.update(propose_suspensions(ctx.today, items=items))
    counts["suspensions_ended"] = end_suspensions_if_compliant(None, ctx.today, items=items)
    return counts


def _insert_new_flags(wanted, today):
    if not wanted:
        return []
    earliest = min(key[2] for key in wanted)
    existing = set(map(tuple, db.session.execute(
        sa.select(ComplianceFlag.licence_id, ComplianceFlag.requirement, ComplianceFlag.due_on,
                  ComplianceFlag.lead_days).where(ComplianceFlag.due_on >= earliest)
    )))
    rows = [
        {"holder_id": item.holder_id, "licence_id": key[0], "requirement": key[1], "due_on": key[2],
         "lead_days": key[3], "raised_on": today, "status": FlagStatus.OPEN, "version": 1}
        for key, item in wanted.items() if key not in existing
    ]
    if not rows:
        return []
    flags = ComplianceFlag.__table__
    columns = (flags.c.id, flags.c.holder_id, flags.c.licence_id, flags.c.requirement, flags.c.due_on)
    return db.session.execute(sa.insert(flags).returning(*columns), rows).all()


def _resolve_complied_flags(current_due, today):
    """Open flags whose due date has moved on (evidence arrived) or whose licence left force."""
    open_flags = db.session.execute(
        sa.select(ComplianceFlag.id, ComplianceFlag.licence_id, ComplianceFlag.requirement, ComplianceFlag.due_on)
        .where(ComplianceFlag.status.in_((FlagStatus.OPEN, FlagStatus.CHASED)))
    ).all()
    done = [fid for fid, lid, req, due in open_flags if current_due.get((lid, req)) != due]
    for start in range(0, len(done), 5000):
        db.session.execute(
            sa.update(ComplianceFlag).where(ComplianceFlag.id.in_(done[start:start + 5000]))
            .values(status=FlagStatus.RESOLVED, resolved_on=today, version=ComplianceFlag.version + 1)
            .execution_options(synchronize_session=False)
        )
    return len(done)

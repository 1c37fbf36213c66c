"""The daily expiry scan: flags (one per licence, requirement, due date and stage), reminders
queued in the same transaction, flags resolved once complied with, suspensions proposed/ended.

Set-based: the due dates of the whole population are computed by one SQL statement
(`licensing.compliance.sql.due_items_select`, the same rules as the holder page) into a temporary
table holding the items within the lead times and those with an open flag. From it, new flags
are inserted with INSERT ... SELECT ... WHERE NOT EXISTS (so a re-run creates nothing), flags
whose due date moved on are resolved, and suspensions are proposed, dismissed and ended; only
the rows that change pass through Python (reminder e-mails, audit rows, notice letters).
"""

import datetime as dt

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ClauseElement, Executable

from licensing.audit import insert_audit_rows
from licensing.compliance.sql import due_items_select
from licensing.extensions import db
from licensing.models import ComplianceFlag, FlagStatus
from licensing.sqldates import const
from licensing.training.reminders import queue_reminders_for_new_flags
from licensing.training.suspensions import scan_suspensions

DEFAULT_LEAD_DAYS = (60, 30, 7)
OVERDUE = 0  # the stage of a flag for something already past its due date
OPEN_STATUSES = (FlagStatus.OPEN, FlagStatus.CHASED)


def lead_days():
    return tuple(sorted(current_app.config.get("EXPIRY_LEAD_DAYS") or DEFAULT_LEAD_DAYS))


def stage_for(days_left, leads):
    """The reminder stage for an item `days_left` from due: the tightest lead time it is within."""
    if days_left < 0:
        return OVERDUE
    within = [lead for lead in leads if days_left <= lead]
    return min(within) if within else None


def stage_sql(due_on, today, leads):
    """`stage_for` as a SQL expression over a due date column."""
    whens = [(due_on < const(today, sa.Date), OVERDUE)]
    whens += [(due_on <= const(today + dt.timedelta(days=lead), sa.Date), lead) for lead in sorted(leads)]
    return sa.case(*whens, else_=sa.null())


class CreateTemporaryTableAs(Executable, ClauseElement):
    inherit_cache = False

    def __init__(self, name, query):
        self.name, self.query = name, query


@compiles(CreateTemporaryTableAs)
def _create_temporary_table_as(element, compiler, **kw):
    return f"CREATE TEMPORARY TABLE {element.name} AS {compiler.process(element.query, **kw)}"


def _due_table():
    """The scan's temporary table of due items (created by `materialise_due_items`)."""
    return sa.Table(
        "scan_due_items", sa.MetaData(),
        sa.Column("holder_id", sa.Integer, nullable=False),
        sa.Column("licence_id", sa.Integer, nullable=False),
        sa.Column("requirement", sa.String(40), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("stage", sa.Integer),
        sa.Column("suspend_when_overdue", sa.Boolean, nullable=False),
        prefixes=["TEMPORARY"],
    )


def materialise_due_items(today, leads):
    """Fill a temporary table with every item due up to the longest lead time ahead (overdue
    included), or up to the latest due date of an open flag if later (after running the scan for
    an earlier date by hand), so every open flag's item is there if its due date still holds.
    Returns the table and the number of items with a reminder stage when the rows written tell
    it (None otherwise)."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        # The due-date expression is long; compiling it to machine code (JIT) costs far more
        # than it saves on a million rows. The anti-joins between half a million due items and
        # as many flags hash and sort in memory rather than in batches on disk. For this
        # transaction only.
        connection.exec_driver_sql("SET LOCAL jit = off")
        connection.exec_driver_sql("SET LOCAL work_mem = '128MB'")
    due = _due_table()
    due.drop(connection, checkfirst=True)
    flags = ComplianceFlag.__table__
    latest_flagged = connection.scalar(sa.select(sa.func.max(flags.c.due_on)).where(flags.c.status.in_(OPEN_STATUSES)))
    horizon = max(today + dt.timedelta(days=max(leads)), latest_flagged or today)
    items = due_items_select(today).subquery("items")
    # CREATE TABLE ... AS, not INSERT ... SELECT: PostgreSQL runs the former in parallel.
    filled = connection.execute(CreateTemporaryTableAs(due.name, sa.select(
        items.c.holder_id, items.c.licence_id, items.c.requirement, items.c.position, items.c.due_on,
        stage_sql(items.c.due_on, today, leads).label("stage"), items.c.suspend_when_overdue,
    ).where(items.c.due_on <= const(horizon, sa.Date))))
    # Up to the longest lead time every item has a stage, so the rows written are the items due.
    within_leads = horizon == today + dt.timedelta(days=max(leads)) and filled.rowcount >= 0
    return due, filled.rowcount if within_leads else None


def expiry_scan(ctx):
    leads = lead_days()
    due, items_due = materialise_due_items(ctx.today, leads)
    last_flag = db.session.scalar(sa.select(sa.func.max(ComplianceFlag.id))) or 0
    created = _insert_new_flags(due, ctx.today, last_flag)
    queued = queue_reminders_for_new_flags(last_flag, ctx.now) if created else 0
    resolved = _resolve_complied_flags(due, ctx.today)
    if items_due is None:
        items_due = db.session.scalar(sa.select(sa.func.count()).where(due.c.stage.is_not(None)))
    counts = {"items_due": items_due, "flags_created": created, "reminders_queued": queued,
              "flags_resolved": resolved}
    counts.update(scan_suspensions(due, ctx.today))
    due.drop(db.session.connection())  # on failure the rollback drops it (and the next run drops any left)
    return counts


def _insert_new_flags(due, today, last_flag):
    flags = ComplianceFlag.__table__
    exists = sa.exists().where(
        flags.c.licence_id == due.c.licence_id, flags.c.requirement == due.c.requirement,
        flags.c.due_on == due.c.due_on, flags.c.lead_days == due.c.stage,
    )
    fresh = (
        sa.select(due.c.holder_id, due.c.licence_id, due.c.requirement, due.c.due_on, due.c.stage,
                  sa.literal(today, sa.Date), sa.literal(FlagStatus.OPEN.value, sa.String), sa.literal(1))
        .where(due.c.stage.is_not(None), ~exists)
        .order_by(due.c.licence_id, due.c.position, due.c.stage)
    )
    insert = sa.insert(flags).from_select(
        ["holder_id", "licence_id", "requirement", "due_on", "lead_days", "raised_on", "status", "version"], fresh,
    )
    db.session.execute(insert)
    created = db.session.scalar(sa.select(sa.func.count()).where(ComplianceFlag.id > last_flag))
    if created > 10_000 and db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("ANALYZE compliance_flags"))  # fresh statistics for the queue and re-runs
    return created


def _resolve_complied_flags(due, today):
    """Open flags whose due date has moved on (evidence arrived) or whose licence left force."""
    flags = ComplianceFlag.__table__
    still_due = sa.exists().where(
        due.c.licence_id == flags.c.licence_id, due.c.requirement == flags.c.requirement,
        due.c.due_on == flags.c.due_on,
    )
    done = db.session.execute(
        sa.select(flags.c.id, flags.c.holder_id, flags.c.status, flags.c.requirement, flags.c.due_on)
        .where(flags.c.status.in_(OPEN_STATUSES), ~still_due).order_by(flags.c.id)
    ).all()
    for start in range(0, len(done), 5000):
        db.session.execute(
            sa.update(flags).where(flags.c.id.in_([row.id for row in done[start:start + 5000]]))
            .values(status=FlagStatus.RESOLVED, resolved_on=today, version=flags.c.version + 1)
        )
    insert_audit_rows([
        {"actor_id": None, "action": "compliance_flag.resolved", "entity_type": "compliance_flags",
         "entity_id": row.id, "holder_id": row.holder_id,
         "before": {"status": getattr(row.status, "value", row.status)},
         "after": {"status": "resolved", "resolved_on": today.isoformat()},
         "reason": f"{row.requirement} due {row.due_on.isoformat()} met, or the licence is no longer in force"}
        for row in done
    ])
    return len(done)

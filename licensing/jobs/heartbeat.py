"""The scheduler's heartbeat: the process that runs the schedule writes it every minute, on its
own short transaction, so /healthz can tell a live scheduler from a stopped one."""

import sqlalchemy as sa

from licensing.models import SchedulerHeartbeat
from licensing.models.base import utcnow

HEARTBEAT_SECONDS = 60
NAME = "scheduler"


def beat(engine, started_at):
    """Record that the scheduler is alive now (it started at `started_at`)."""
    now = utcnow()
    table = SchedulerHeartbeat.__table__
    with engine.begin() as conn:
        updated = conn.execute(
            sa.update(table).where(table.c.name == NAME).values(beat_at=now, started_at=started_at)
        ).rowcount
        if not updated:
            conn.execute(sa.insert(table).values(name=NAME, beat_at=now, started_at=started_at))
    return now

import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import (
    EmailStatus,
    Licence,
    LicenceHolder,
    LicenceStatus,
    OutboundEmail,
    SchedulerHeartbeat,
    Vehicle,
)
from licensing.models.base import utcnow

# The scheduler beats every minute; three missed beats and /healthz calls it late.
HEARTBEAT_LATE_SECONDS = 180


def dashboard_figures():
    licences_by_status = dict(
        db.session.execute(sa.select(Licence.status, sa.func.count()).group_by(Licence.status)).all()
    )
    return {
        "holders": db.session.scalar(sa.select(sa.func.count()).select_from(LicenceHolder)),
        "vehicles": db.session.scalar(sa.select(sa.func.count()).select_from(Vehicle)),
        "active_licences": licences_by_status.get(LicenceStatus.ACTIVE, 0),
        "suspended_licences": licences_by_status.get(LicenceStatus.SUSPENDED, 0),
    }


def operations_status():
    """For /healthz: the scheduler's last heartbeat and the outbox backlog (no personal data)."""
    heartbeat = db.session.get(SchedulerHeartbeat, "scheduler")
    if heartbeat is None:
        scheduler = {"state": "never", "last_heartbeat": None, "seconds_since": None}
    else:
        seconds = max(0, int((utcnow() - heartbeat.beat_at).total_seconds()))
        scheduler = {"state": "late" if seconds > HEARTBEAT_LATE_SECONDS else "ok",
                     "last_heartbeat": heartbeat.beat_at.isoformat(timespec="seconds") + "Z",
                     "seconds_since": seconds}
    counts = dict(db.session.execute(
        sa.select(OutboundEmail.status, sa.func.count())
        .where(OutboundEmail.status != EmailStatus.SENT).group_by(OutboundEmail.status)).all())
    outbox = {"unsent": counts.get(EmailStatus.QUEUED, 0), "failed": counts.get(EmailStatus.FAILED, 0)}
    return {"scheduler": scheduler, "outbox": outbox}

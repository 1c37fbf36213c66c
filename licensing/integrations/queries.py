"""The read side: the outbox's backlog and failures, a holder's lookups and consents."""

import sqlalchemy as sa

from licensing.extensions import db
from licensing.integrations import dbs, dvla, mot
from licensing.models import DbsConsent, EmailStatus, OutboundEmail, ServiceLookup


def outbox_counts():
    """{"queued": n, "failed": n, "oldest_queued": datetime or None} for the admin pages."""
    counts = dict(db.session.execute(
        sa.select(OutboundEmail.status, sa.func.count()).where(OutboundEmail.status != EmailStatus.SENT)
        .group_by(OutboundEmail.status)).all())
    oldest = db.session.scalar(sa.select(sa.func.min(OutboundEmail.created_at))
                               .where(OutboundEmail.status == EmailStatus.QUEUED))
    return {"queued": counts.get(EmailStatus.QUEUED, 0), "failed": counts.get(EmailStatus.FAILED, 0),
            "oldest_queued": oldest}


def failed_messages(limit=200):
    """The failed messages, newest first (no address or body: the subject and the error)."""
    o = OutboundEmail
    return db.session.execute(
        sa.select(o.id, o.key, o.channel, o.subject, o.attempts, o.last_error, o.delivery_status, o.created_at,
                  o.holder_id)
        .where(o.status == EmailStatus.FAILED).order_by(o.created_at.desc(), o.id.desc()).limit(limit)).all()


def services_configured(config):
    return {"dvla_vehicle": dvla.configured(config), "mot_history": mot.configured(config),
            "dbs_update": dbs.configured(config)}


def holder_lookups(holder_id, limit=10):
    return db.session.scalars(sa.select(ServiceLookup).where(ServiceLookup.holder_id == holder_id)
                              .order_by(ServiceLookup.requested_at.desc(), ServiceLookup.id.desc())
                              .limit(limit)).all()


def live_consent(holder_id):
    return db.session.scalars(sa.select(DbsConsent).where(
        DbsConsent.holder_id == holder_id, DbsConsent.withdrawn_on.is_(None)).order_by(DbsConsent.id.desc())).first()


def dbs_rechecks_due(today, limit=500):
    return db.session.scalars(sa.select(DbsConsent).where(
        DbsConsent.withdrawn_on.is_(None), DbsConsent.next_check_on <= today)
        .order_by(DbsConsent.next_check_on, DbsConsent.id).limit(limit)).all()

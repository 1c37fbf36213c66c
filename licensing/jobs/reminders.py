"""The outbox sender: queued reminder e-mails (licensing/training/reminders.py) and issued letters,
attached as PDFs, are sent after commit by the `send_reminders` job through the configured
transport (licensing/integrations: SMTP with TLS and login, or GOV.UK Notify). Each message is
claimed with SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL, so two senders never send the same
message. A message the transport refuses is retried with exponential back-off and then marked
failed; a transport that cannot be reached stops the run and uses up no message's attempts, so an
outage of any length marks nothing failed (the next run tries again).
"""

import datetime as dt

import sqlalchemy as sa
from flask import current_app

from licensing.audit import record
from licensing.extensions import db
from licensing.integrations.transports import (
    MessageRejected,
    Outgoing,
    TransportNotConfigured,
    TransportUnavailable,
    transport_for,
)
from licensing.models import (
    EmailStatus,
    IssuedLetter,
    OutboundEmail,
)

MAX_ATTEMPTS = 5
FIRST_RETRY = dt.timedelta(minutes=5)
BATCH_LIMIT = 1000


def _claim_next(now, channels):
    query = (
        sa.select(OutboundEmail)
        .where(OutboundEmail.status == EmailStatus.QUEUED, OutboundEmail.next_attempt_at <= now,
               OutboundEmail.channel.in_(sorted(channels)))
        .order_by(OutboundEmail.next_attempt_at, OutboundEmail.id)
        .limit(1)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    # SQLite has no row locks; there the job's lock row keeps a second sender out.
    return db.session.execute(query).scalar_one_or_none()


def _outgoing(message):
    letter = db.session.get(IssuedLetter, message.letter_id) if message.letter_id is not None else None
    return Outgoing(key=message.key, channel=message.channel.value, to_address=message.to_address,
                    subject=message.subject, body=message.body,
                    attachment=letter.content if letter else None, attachment_name=letter.filename if letter else None)


def _record_letter_sent(message):
    """An e-mailed (or posted) letter is audited against the letter and its holder when it goes."""
    if message.letter_id is None:
        return
    letter = db.session.get(IssuedLetter, message.letter_id)
    action = "letter.posted" if message.channel.value == "letter" else "letter.emailed"
    record(None, action, letter, holder_id=message.holder_id,
           after={"outbox_id": message.id, "kind": letter.kind, "sha256": letter.sha256})


def _rejected(message, error, now):
    message.attempts += 1
    message.last_error = error.reason[:200]  # never the address or body
    if error.permanent or message.attempts >= MAX_ATTEMPTS:
        message.status = EmailStatus.FAILED
        return "failed"
    message.next_attempt_at = now + FIRST_RETRY * 2 ** (message.attempts - 1)
    return "retry_scheduled"


def send_reminders(ctx):
    """Send every queued message that is due, one transaction per message."""
    counts = {"sent": 0, "retry_scheduled": 0, "failed": 0, "deferred": 0}
    try:
        transport = transport_for(current_app.config)
    except TransportNotConfigured:
        return counts
    opened = False
    try:
        for _ in range(BATCH_LIMIT):
            message = _claim_next(ctx.now, transport.channels)
            if message is None:
                break
            try:
                if not opened:
                    transport.open()
                    opened = True
                message.provider_ref = transport.send(_outgoing(message))
                message.attempts += 1
                message.status, message.sent_at, message.last_error = EmailStatus.SENT, ctx.now, None
                _record_letter_sent(message)
                counts["sent"] += 1
            except TransportUnavailable as error:
                # The service, not the message: keep its attempts, stop, and try again next run.
                message.last_error = str(error)[:200]
                counts["deferred"] += 1
                db.session.commit()
                break
            except MessageRejected as error:
                counts[_rejected(message, error, ctx.now)] += 1
            db.session.commit()  # releases the row lock with the message marked
    finally:
        transport.close()
    return counts

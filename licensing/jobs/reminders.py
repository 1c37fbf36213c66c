"""The outbox sender: queued reminder e-mails (licensing/training/reminders.py) and issued letters,
attached as PDFs, are sent after commit by the `send_reminders` job. Each message is claimed with
SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL, so two senders never send the same message; SMTP
failures are retried with exponential back-off.
"""

import datetime as dt
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

import sqlalchemy as sa
from flask import current_app

from licensing.audit import record
from licensing.extensions import db
from licensing.models import (
    EmailStatus,
    IssuedLetter,
    OutboundEmail,
)

MAX_ATTEMPTS = 5
FIRST_RETRY = dt.timedelta(minutes=5)
BATCH_LIMIT = 1000


def _claim_next(now):
    query = (
        sa.select(OutboundEmail)
        .where(OutboundEmail.status == EmailStatus.QUEUED, OutboundEmail.next_attempt_at <= now)
        .order_by(OutboundEmail.next_attempt_at, OutboundEmail.id)
        .limit(1)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    # SQLite has no row locks; there the job's lock row keeps a second sender out.
    return db.session.execute(query).scalar_one_or_none()


def _to_mime(message):
    config = current_app.config
    mime = EmailMessage()
    mime["From"] = config.get("MAIL_FROM") or "licensing@localhost"
    mime["To"] = message.to_address
    mime["Subject"] = message.subject
    mime["Message-ID"] = make_msgid(idstring=message.key.replace(":", "."))
    mime["X-Licensing-Key"] = message.key  # lets a mail log show a message went once
    mime.set_content(message.body)
    if message.letter_id is not None:
        letter = db.session.get(IssuedLetter, message.letter_id)
        mime.add_attachment(letter.content, maintype="application", subtype="pdf", filename=letter.filename)
    return mime


def _record_letter_sent(message):
    """An e-mailed letter is audited against the letter and its holder when it goes."""
    if message.letter_id is None:
        return
    letter = db.session.get(IssuedLetter, message.letter_id)
    record(None, "letter.emailed", letter, holder_id=message.holder_id,
           after={"outbox_id": message.id, "kind": letter.kind, "sha256": letter.sha256})


def _connect():
    config = current_app.config
    return smtplib.SMTP(config.get("SMTP_HOST") or "localhost", int(config.get("SMTP_PORT") or 25), timeout=10)


def send_reminders(ctx):
    """Send every queued message that is due, one transaction per message."""
    sent = retried = failed = 0
    smtp = None
    try:
        for _ in range(BATCH_LIMIT):
            message = _claim_next(ctx.now)
            if message is None:
                break
            message.attempts += 1
            try:
                smtp = smtp or _connect()
                smtp.send_message(_to_mime(message))
                message.status, message.sent_at, message.last_error = EmailStatus.SENT, ctx.now, None
                _record_letter_sent(message)
                sent += 1
            except (smtplib.SMTPException, OSError) as error:
                smtp = _close(smtp)
                message.last_error = type(error).__name__[:200]  # never the address or body
                if message.attempts >= MAX_ATTEMPTS:
                    message.status = EmailStatus.FAILED
                    failed += 1
                else:
                    message.next_attempt_at = ctx.now + FIRST_RETRY * 2 ** (message.attempts - 1)
                    retried += 1
            db.session.commit()  # releases the row lock with the message marked
    finally:
        _close(smtp)
    return {"sent": sent, "retry_scheduled": retried, "failed": failed}


def _close(smtp):
    if smtp is not None:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()
    return None

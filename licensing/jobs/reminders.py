"""Reminder e-mails (and issued letters, attached as PDFs) through an outbox.

Messages are written to `outbound_emails` in the same transaction as the flag that causes them
(key: one per flag, so one per stage) and sent after commit by the `send_reminders` job. Each
message is claimed with SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL, so two senders never
send the same message; SMTP failures are retried with exponential back-off.
"""

import datetime as dt
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

import sqlalchemy as sa
from flask import current_app

from licensing.audit import record
from licensing.compliance import policy_path
from licensing.extensions import db
from licensing.models import (
    ComplianceFlag,
    EmailStatus,
    HolderKind,
    IssuedLetter,
    Licence,
    LicenceHolder,
    OutboundEmail,
)
from licensing.policy.requirements import edition_on

MAX_ATTEMPTS = 5
FIRST_RETRY = dt.timedelta(minutes=5)
BATCH_LIMIT = 1000
REMINDER_TEMPLATE = "training/email/reminder.txt"


class ReminderError(Exception):
    """A reminder that cannot be queued, with a message for the user."""


def _label(requirement, on_date):
    rule = edition_on(on_date, policy_path()).rules.get(requirement)
    return rule.label if rule else requirement.replace("_", " ").capitalize()


def render_reminder(*, holder_name, label, licence_number, due_on, today, template=None):
    days_left = (due_on - today).days
    overdue = days_left < 0
    subject = f"{'Overdue' if overdue else 'Reminder'}: {label} for licence {licence_number}"
    template = template or current_app.jinja_env.get_template(REMINDER_TEMPLATE)
    values = {"holder_name": holder_name, "label": label, "licence_number": licence_number, "due_on": due_on,
              "days_left": days_left, "overdue": overdue, "council": current_app.config["COUNCIL_NAME"]}
    # The template uses only these values and filters, so it renders in a context that shares
    # them instead of copying the application's globals for each of many thousand messages.
    body = "".join(template.root_render_func(template.new_context(values, shared=True)))
    return subject, body


def _columns_by_id(columns, ids):
    """{id: row} for the given Core columns (the first is the id), fetched in batches."""
    found = {}
    ids = sorted(set(ids))
    for start in range(0, len(ids), 5000):
        rows = db.session.execute(sa.select(*columns).where(columns[0].in_(ids[start:start + 5000])))
        found.update({row[0]: row for row in rows})
    return found


def _display_name(holder):
    if holder.kind == HolderKind.ORGANISATION:
        return holder.organisation_name
    return " ".join(p for p in (holder.first_name, holder.last_name) if p)


def queue_flag_reminders(flags, now, key_prefix="flag"):
    """Add one outbox message per flag (holders without an e-mail address get none)."""
    h, lic = LicenceHolder.__table__.c, Licence.__table__.c
    holders = _columns_by_id((h.id, h.kind, h.first_name, h.last_name, h.organisation_name, h.email),
                             [f.holder_id for f in flags])
    numbers = {i: row.licence_number for i, row in
               _columns_by_id((lic.id, lic.licence_number), [f.licence_id for f in flags]).items()}
    rows = [(flag, holders[flag.holder_id], numbers[flag.licence_id]) for flag in flags]
    return _queue(rows, now, key_prefix)


def queue_reminders_for_new_flags(after_id, now):
    """The scan's path: one message for each flag with an id above `after_id` (the flags it has
    just raised), read with their holders and licences in one query."""
    f, h, lic = ComplianceFlag.__table__.c, LicenceHolder.__table__.c, Licence.__table__.c
    rows = db.session.execute(
        sa.select(f.id, f.holder_id, f.licence_id, f.requirement, f.due_on, h.kind, h.first_name, h.last_name,
                  h.organisation_name, h.email, lic.licence_number)
        .join_from(ComplianceFlag.__table__, LicenceHolder.__table__, h.id == f.holder_id)
        .join(Licence.__table__, lic.id == f.licence_id)
        .where(f.id > after_id, h.email.is_not(None)).order_by(f.id)
    ).all()
    return _queue([(row, row, row.licence_number) for row in rows], now, "flag")


def _queue(rows, now, key_prefix):
    labels = {}
    messages = []
    template = current_app.jinja_env.get_template(REMINDER_TEMPLATE)
    for flag, holder, licence_number in rows:
        if not holder.email:
            continue
        label = labels.setdefault(flag.requirement, _label(flag.requirement, now.date()))
        subject, body = render_reminder(
            holder_name=_display_name(holder), label=label, licence_number=licence_number,
            due_on=flag.due_on, today=now.date(), template=template,
        )
        messages.append({"key": f"{key_prefix}:{flag.id}", "holder_id": flag.holder_id, "flag_id": flag.id,
                         "to_address": holder.email, "subject": subject, "body": body,
                         "status": EmailStatus.QUEUED.value, "attempts": 0, "next_attempt_at": now,
                         "created_at": now})
    _insert_messages(messages)
    return len(messages)


def _insert_messages(messages):
    if not messages:
        return
    connection = db.session.connection()
    table = OutboundEmail.__table__
    if connection.dialect.name == "postgresql" and len(messages) > 1000:
        columns = list(messages[0])
        cursor = connection.connection.driver_connection.cursor()
        with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for message in messages:
                copy.write_row([message[c] for c in columns])
        return
    for start in range(0, len(messages), 5000):
        connection.execute(sa.insert(table), messages[start:start + 5000])


def queue_manual_reminders(flags, now):
    """'Send reminder now' from the work queue: at most one extra message per flag per day."""
    keys = {f"manual:{now.date().isoformat()}:{f.id}" for f in flags}
    already = set(db.session.scalars(sa.select(OutboundEmail.key).where(OutboundEmail.key.in_(keys))))
    fresh = [f for f in flags if f"manual:{now.date().isoformat()}:{f.id}" not in already]
    return queue_flag_reminders(fresh, now, key_prefix=f"manual:{now.date().isoformat()}")


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

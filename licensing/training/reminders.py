"""Reminder e-mails queued in the outbox: one per flag per stage, and a manual one at most once a day.

Messages are written to `outbound_emails` in the same transaction as the flag that causes them;
the `send_reminders` job (licensing/jobs/reminders.py) sends them after commit. A holder with no
e-mail address but a phone number gets a text message instead when GOV.UK Notify's text messages
are configured (NOTIFY_SMS_TEMPLATE_ID).
"""


import sqlalchemy as sa
from flask import current_app

from licensing.compliance.due import policy_path
from licensing.extensions import db
from licensing.models import (
    Channel,
    ComplianceFlag,
    EmailStatus,
    HolderKind,
    Licence,
    LicenceHolder,
    OutboundEmail,
)
from licensing.policy.requirements import edition_on
from licensing.text import govuk_date

REMINDER_TEMPLATE = "training/email/reminder.txt"


class ReminderError(Exception):
    """A reminder that cannot be queued, with a message for the user."""


def _label(requirement, on_date):
    rule = edition_on(on_date, policy_path()).rules.get(requirement)
    return rule.label if rule else requirement.replace("_", " ").capitalize()


def _sms_enabled():
    return bool(current_app.config.get("NOTIFY_SMS_TEMPLATE_ID"))


def sms_text(*, label, licence_number, due_on, today, council):
    """A reminder short enough for one or two text messages; no personal data beyond the licence."""
    state = "was due" if due_on < today else "is due"
    return (f"{council}: the {label} for taxi licence {licence_number} {state} on {govuk_date(due_on)}. "
            "Please contact the licensing office.")


def account_url():
    """The holder's "What you need to do" page, for messages sent outside a request (SERVICE_URL
    is the service's public address); empty when the council has not set it."""
    base = current_app.config.get("SERVICE_URL") or ""
    return f"{base.rstrip('/')}/account/" if base else ""


def render_reminder(*, holder_name, label, licence_number, due_on, today, template=None):
    days_left = (due_on - today).days
    overdue = days_left < 0
    subject = f"{'Overdue' if overdue else 'Reminder'}: {label} for licence {licence_number}"
    template = template or current_app.jinja_env.get_template(REMINDER_TEMPLATE)
    values = {"holder_name": holder_name, "label": label, "licence_number": licence_number, "due_on": due_on,
              "days_left": days_left, "overdue": overdue, "council": current_app.config["COUNCIL_NAME"],
              "account_url": account_url()}
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
    holders = _columns_by_id((h.id, h.kind, h.first_name, h.last_name, h.organisation_name, h.email, h.phone),
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
                  h.organisation_name, h.email, h.phone, lic.licence_number)
        .join_from(ComplianceFlag.__table__, LicenceHolder.__table__, h.id == f.holder_id)
        .join(Licence.__table__, lic.id == f.licence_id)
        .where(f.id > after_id, sa.or_(h.email.is_not(None), h.phone.is_not(None)) if _sms_enabled()
               else h.email.is_not(None)).order_by(f.id)
    ).all()
    return _queue([(row, row, row.licence_number) for row in rows], now, "flag")


def _queue(rows, now, key_prefix):
    labels = {}
    messages = []
    template = current_app.jinja_env.get_template(REMINDER_TEMPLATE)
    sms = _sms_enabled()
    for flag, holder, licence_number in rows:
        by_text = not holder.email and sms and bool(holder.phone)
        if not holder.email and not by_text:
            continue
        label = labels.setdefault(flag.requirement, _label(flag.requirement, now.date()))
        subject, body = render_reminder(
            holder_name=_display_name(holder), label=label, licence_number=licence_number,
            due_on=flag.due_on, today=now.date(), template=template,
        )
        if by_text:
            body = sms_text(label=label, licence_number=licence_number, due_on=flag.due_on, today=now.date(),
                            council=current_app.config["COUNCIL_NAME"])
        messages.append({"key": f"{key_prefix}:{flag.id}", "holder_id": flag.holder_id, "flag_id": flag.id,
                         "channel": (Channel.SMS if by_text else Channel.EMAIL).value,
                         "to_address": holder.phone if by_text else holder.email, "subject": subject, "body": body,
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

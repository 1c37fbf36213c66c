"""Domain errors of the register, carrying a message for the user and the field it belongs to."""

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from licensing.extensions import db
from licensing.models import AuditEvent


class RegisterError(ValueError):
    """A change that cannot be made. `field` names the form field the message belongs to."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class ConflictError(RegisterError):
    """The record changed since the form was loaded (optimistic locking)."""


class NotReadyError(RegisterError):
    """Grant or renewal refused because required checks are missing; `missing` lists them."""

    def __init__(self, missing, field=None):
        self.missing = list(missing)
        super().__init__(
            "This licence cannot be granted until these are in place: " + "; ".join(self.missing) + ".",
            field=field,
        )


def require_version(record, submitted_version, noun):
    """Refuse the change when the record moved on since the form was loaded, naming what changed."""
    try:
        submitted = int(submitted_version)
    except (TypeError, ValueError):
        submitted = -1
    if submitted == record.version:
        return
    missed = max(record.version - submitted, 1)
    events = db.session.execute(
        sa.select(AuditEvent)
        .where(AuditEvent.entity_type == record.__tablename__, AuditEvent.entity_id == record.id)
        .order_by(AuditEvent.id.desc())
        .limit(missed)
    ).scalars().all()
    fields = sorted({key.replace("_", " ") for e in events for key in (e.after or {})})
    people = sorted({e.actor.name for e in events if e.actor is not None})
    who = f" by {', '.join(people)}" if people else ""
    what = f" (changed: {', '.join(fields)})" if fields else ""
    raise ConflictError(
        f"This {noun} was changed{who} while you were editing it{what}. Your changes have not been saved. "
        "The form now shows the current details: check them and make your changes again.",
        field="version",
    )


STALE_MESSAGE = ("This record was changed by someone else while you were editing it. Your changes have not "
                 "been saved. The form now shows the current details: check them and make your changes again.")


def flush_versioned(record, submitted_version, noun):
    """Flush a versioned change. Two editors can both pass `require_version` before either
    commits; the database then matches only one UPDATE on the version column, and the other
    is refused here with the same conflict message rather than an error page."""
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        require_version(record, submitted_version, noun)
        raise ConflictError(STALE_MESSAGE, field="version") from None

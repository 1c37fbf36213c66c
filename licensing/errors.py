"""The one family of domain errors: a refusal with a message for the user and the form field it
belongs to, the conflict of an out-of-date form, and the version check that raises it.

Each area names its refusals with a subclass (RegisterError, ReviewError, HearingError, ...), so
that one form-post step and one error page show any of them, whichever area raised it.
"""

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from licensing.extensions import db
from licensing.models import AuditEvent

STALE_MESSAGE = ("This record was changed by someone else while you were editing it. Your changes have not "
                 "been saved. The form now shows the current details: check them and make your changes again.")


class DomainError(ValueError):
    """A change that cannot be made. `str(error)` is the message; `field` names the form field it
    belongs to, if any."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field

    def after_rollback(self):
        """The error to show once the refused work is rolled back (itself, unless it can say more then)."""
        return self


class ConflictError(DomainError):
    """The record changed since the form was loaded (optimistic locking)."""


def check_version(record, submitted_version, noun):
    """Refuse the change when `record` moved on since the form that sent `submitted_version` was
    loaded, saying who changed it and what.

    `None` means the caller checks no version (a job, a command, one operation calling another).
    Anything else came from a form and must equal the record's version: an empty or unreadable
    value is a conflict, so a form that lost its version field cannot overwrite newer details.
    """
    if submitted_version is None:
        return
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
    who = f" by {', '.join(people)}" if people else " by someone else"
    what = f" (changed: {', '.join(fields)})" if fields else ""
    raise ConflictError(
        f"This {noun} was changed{who} while you were editing it{what}. Your changes have not been saved. "
        "The form now shows the current details: check them and make your changes again.",
        field="version",
    )


class LostRaceError(ConflictError):
    """Another request saved the record between this one's version check and its flush. Who did it
    can be read only after the rollback, so the message is completed then."""

    def __init__(self, record, submitted_version, noun):
        super().__init__(STALE_MESSAGE, field="version")
        self.record, self.submitted_version, self.noun = record, submitted_version, noun

    def after_rollback(self):
        try:
            check_version(self.record, self.submitted_version, self.noun)
        except ConflictError as explained:
            return explained
        return self


def flush_versioned(record, submitted_version, noun):
    """Flush a versioned change. Two editors can both pass `check_version` before either commits;
    the database then matches only one UPDATE on the version column, and the other is refused here
    with the conflict message. Operations only flush: whoever catches the error rolls back."""
    try:
        db.session.flush()
    except StaleDataError:
        raise LostRaceError(record, submitted_version, noun) from None

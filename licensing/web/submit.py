"""Small helpers the register views share: one commit per request, errors shown at the field."""

from flask import abort
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from licensing.extensions import db
from licensing.holders.errors import STALE_MESSAGE, ConflictError, RegisterError

# A body this far over the upload limit is refused outright (413) before it is read.


def show_error(form, error):
    """Put a domain error's message at its field, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is None:
        form.form_errors.append(error.message)
        return
    if not isinstance(field.errors, list):
        field.errors = list(field.errors)
    field.errors.append(error.message)


def save(form, change):
    """Run `change()`, commit once, and return its result; on a domain error roll back,
    show the message on the form and return None."""
    try:
        result = change()
        db.session.commit()
    except RegisterError as error:
        db.session.rollback()
        show_error(form, error)
        return None
    except StaleDataError:
        # A versioned record another request changed after this one read it.
        db.session.rollback()
        show_error(form, ConflictError(STALE_MESSAGE, field="version"))
        return None
    except PermissionError:
        db.session.rollback()
        abort(403)
    return result


def actor():
    """The signed-in user, passed to operations (which never read it themselves)."""
    return current_user._get_current_object()

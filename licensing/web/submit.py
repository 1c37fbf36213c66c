"""The form-post step every page shares: validate the form, run one operation, and either redirect
or show the refusal at its field. The commit is the request's edge's (licensing.dbsetup)."""

from flask import abort, flash, redirect, request
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from licensing.dbsetup import keep_refusal_record
from licensing.errors import STALE_MESSAGE, ConflictError, DomainError
from licensing.extensions import db


def show_error(form, error, field=None):
    """Put a domain error's message at its field if the form shows it, else at `field`, else at the
    top of the form. A conflict names the hidden version field, so it shows at `field` or on top."""
    target = next((f for f in (_shown(form, error.field), _shown(form, field)) if f is not None), None)
    if target is None:
        form.form_errors.append(error.message)
        return
    target.errors = [*target.errors, error.message]


def _shown(form, name):
    found = form._fields.get(name) if name else None
    if found is None or getattr(found.widget, "input_type", None) == "hidden":
        return None
    return found


def refuse(form, error, field=None, *, keep_record=False):
    """Undo the refused work and show `error` on the form. With `keep_record`, what the operation
    wrote about the refusal itself (an audit row) is kept instead."""
    if keep_record:
        keep_refusal_record()
    else:
        db.session.rollback()
        error = error.after_rollback()
    show_error(form, error, field)


def save(form, change, field=None, *, keep_record=False):
    """Run `change()` and flush, so that the database's refusals surface here; return its result.
    On a domain error, roll back, show it on the form and return None."""
    return _run(form, change, field, keep_record)[1]


def _run(form, change, field, keep_record):
    try:
        result = change()
        db.session.flush()
    except DomainError as error:
        refuse(form, error, field, keep_record=keep_record)
        return False, None
    except StaleDataError:
        # A versioned record another request changed after this one read it.
        refuse(form, ConflictError(STALE_MESSAGE, field="version"), field)
        return False, None
    except PermissionError:
        db.session.rollback()
        abort(403)
    return True, result


def submit(form, change, *, redirect_to=None, on_success=None, field=None, message=None, keep_record=False):
    """The POST of a form page. A valid form runs `change()` (one operation); then `on_success(result)`
    gives the response, or the user is sent to `redirect_to` (a URL, or a function of the result)
    with `message` flashed (text, or a function of the result). A refusal is rolled back and shown
    at its field (else at `field`, else at the top of the form). Returns None when the page is to be
    shown again with the form's errors."""
    if not form.validate_on_submit():
        return None
    done, result = _run(form, change, field, keep_record)
    if not done:
        return None
    if on_success is not None:
        return on_success(result)
    if message:
        flash(message(result) if callable(message) else message, "success")
    return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)


def actor():
    """The signed-in user, passed to operations (which never read it themselves)."""
    return current_user._get_current_object()


def posted_answers():
    """The posted fields (but the CSRF token, the step and the button), carried as hidden fields
    through a check-your-answers page to the confirming POST."""
    return [(name, value) for name, values in request.form.lists() if name not in ("csrf_token", "step", "submit")
            for value in values]

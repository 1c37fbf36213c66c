"""Error messages that name their field, the GOV.UK way: the form library's defaults ("This field
is required.", "Not a valid integer value.") are rewritten with the field's name when a page with
the failed form is shown, so every form says which answer is wrong and how to put it right."""

import re

from flask_wtf import FlaskForm
from jinja2 import pass_context
from wtforms import BooleanField, FileField, RadioField, SelectField, SelectMultipleField

from licensing.text import field_name

_CHOICE_FIELDS = (SelectField, SelectMultipleField, RadioField, BooleanField)


def _required(field, name):
    if isinstance(field, _CHOICE_FIELDS):
        return f"Select {_lower(name)}" if isinstance(field, BooleanField) else f"Choose {_lower(name)}"
    if isinstance(field, FileField):
        return f"Choose {_lower(name)} to upload"
    return f"Enter {_lower(name)}"


def _lower(name):
    """'Licence number' reads 'the licence number' inside a sentence; 'DBS certificate' keeps its capitals."""
    first, _, rest = name.partition(" ")
    first = first if first.isupper() else first.lower()
    return f"the {first}{' ' + rest if rest else ''}"


_REWRITES = [
    (re.compile(r"^This field is required\.$"), _required),
    (re.compile(r"^Not a valid (integer|decimal|float) value\.$"),
     lambda field, name, m: f"{name} must be a {'whole number' if m.group(1) == 'integer' else 'number'}"),
    (re.compile(r"^Field cannot be longer than (\d+) characters?\.$"),
     lambda field, name, m: f"{name} must be {m.group(1)} characters or fewer"),
    (re.compile(r"^Field must be at least (\d+) characters? long\.$"),
     lambda field, name, m: f"{name} must be {m.group(1)} characters or more"),
    (re.compile(r"^Field must be between (\d+) and (\d+) characters long\.$"),
     lambda field, name, m: f"{name} must be between {m.group(1)} and {m.group(2)} characters"),
    (re.compile(r"^Number must be at least (\S+)\.$"), lambda field, name, m: f"{name} must be {m.group(1)} or more"),
    (re.compile(r"^Number must be at most (\S+)\.$"), lambda field, name, m: f"{name} must be {m.group(1)} or less"),
    (re.compile(r"^Number must be between (\S+) and (\S+)\.$"),
     lambda field, name, m: f"{name} must be between {m.group(1)} and {m.group(2)}"),
    (re.compile(r"^(Not a valid choice\.|Invalid Choice: could not coerce\.|"
                r"'.*' is not a valid choice for this field\.)$"),
     lambda field, name, m: f"Choose {_lower(name)} from the list"),
    (re.compile(r"^Not a valid (date|datetime|time) value\.$"),
     lambda field, name, m: f"{name} must be a real {m.group(1)}"),
    (re.compile(r"^Invalid email address\.$"), lambda field, name, m: "Enter an email address in the correct format"),
    (re.compile(r"^Invalid input\.$"), lambda field, name, m: f"Check {_lower(name)}"),
]


def named_message(field, message):
    """`message` as it should read at `field`: a library default rewritten to name the field."""
    name = field_name(field.label.text if getattr(field, "label", None) else field.name)
    for pattern, rewrite in _REWRITES:
        match = pattern.match(str(message))
        if match:
            return rewrite(field, name) if rewrite is _required else rewrite(field, name, match)
    return message


def name_the_fields(form):
    for field in form:
        if field.errors and isinstance(field.errors, list | tuple):
            field.errors = [named_message(field, message) for message in field.errors]
    return form


@pass_context
def failed_forms(context):
    """The forms on this page that have errors (every form the view passed, by any name), their
    messages naming their fields: for the error summary and the "Error:" page title."""
    found, seen = [], set()
    for value in context.get_all().values():
        candidates = value.values() if isinstance(value, dict) else [value]
        for form in candidates:
            if isinstance(form, FlaskForm) and id(form) not in seen and form.errors:
                seen.add(id(form))
                found.append(name_the_fields(form))
    return found


def error_summary(forms):
    """GOV.UK error summary parameters for all of `forms`, each error linking to its field."""
    from govuk_frontend_wtf.main import wtforms_errors

    errors = []
    for form in forms:
        errors += wtforms_errors(form)["errorList"]
    return {"titleText": "There is a problem", "errorList": errors}

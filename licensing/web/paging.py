"""Helpers shared by the reviews views."""

import datetime as dt

from flask import request

from licensing.extensions import db


def fail(form, error, default_field=None):
    """Roll back and show a domain error at its field (or the default field)."""
    db.session.rollback()
    name = error.field if error.field and hasattr(form, error.field) else default_field
    field = getattr(form, name, None) if name else None
    if field is None:
        field = next(f for f in form if f.type not in ("CSRFTokenField", "HiddenField", "SubmitField"))
    field.errors = [*field.errors, str(error)]


def page_arg():
    return max(request.args.get("page", 1, type=int), 1)


def pages(total, per_page):
    return max((total + per_page - 1) // per_page, 1)


def today():
    return dt.date.today()


def uploaded_bytes(storage, limit):
    """Read at most limit + 1 bytes, so an oversized file is detected without reading it all."""
    if storage is None or not getattr(storage, "filename", ""):
        return None, None
    return storage.read(limit + 1), storage.filename

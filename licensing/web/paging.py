"""Helpers the list and form pages share: the page number, the page count, today, uploads."""

import datetime as dt

from flask import request


def page_arg():
    """The page asked for in `?page=`: 1 when it is missing, unreadable or below 1."""
    return max(request.args.get("page", 1, type=int), 1)


def page_count(total, per_page):
    """How many pages `total` rows fill; an empty list still has its one page."""
    return max((total + per_page - 1) // per_page, 1)


def today():
    return dt.date.today()


def uploaded_bytes(storage, limit):
    """Read at most limit + 1 bytes, so an oversized file is detected without reading it all."""
    if storage is None or not getattr(storage, "filename", ""):
        return None, None
    return storage.read(limit + 1), storage.filename

"""Template filters and globals: dates the GOV.UK way, labels for enumerations."""

import datetime as dt

from licensing.security import csp_nonce


def govuk_date(value):
    """3 March 2016"""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return f"{value.day} {value:%B %Y}"


def govuk_datetime(value):
    """3 March 2016 at 2:05pm"""
    if value is None:
        return ""
    return f"{govuk_date(value)} at {value.hour % 12 or 12}:{value:%M}{'am' if value.hour < 12 else 'pm'}"


def display_value(value):
    """A recorded value for people to read: ISO dates (and date-times) the GOV.UK way."""
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        return govuk_date(parsed) if len(value) == 10 else govuk_datetime(parsed)
    return value


def label(value):
    return getattr(value, "label", value) if value is not None else ""


def register(app):
    app.add_template_filter(govuk_date, "govuk_date")
    app.add_template_filter(govuk_datetime, "govuk_datetime")
    app.add_template_filter(label, "label")
    app.add_template_filter(display_value, "display_value")
    app.add_template_global(csp_nonce, "csp_nonce")

"""How recorded values read in pages, letters and reports: dates the GOV.UK way, labels for
enumerations, audit values, and CSV cells a spreadsheet will not run as formulas."""

import csv
import datetime as dt
import io
import re


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


ISO_DATE = re.compile(r"(?<![\w-])(\d{4}-\d{2}-\d{2})(?![\w-])")


def _iso_to_govuk(match):
    try:
        return govuk_date(dt.date.fromisoformat(match.group(1)))
    except ValueError:
        return match.group(1)


def display_value(value):
    """A recorded value for people to read (the audit trail): ISO dates and date-times, alone or
    inside text, lists and mappings, the GOV.UK way."""
    if isinstance(value, list):
        return ", ".join(str(display_value(item)) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {display_value(item)}" for key, item in value.items())
    if not isinstance(value, str):
        return value
    if len(value) > 10 and value[4:5] == "-" and value[10:11] == "T":
        try:
            return govuk_datetime(dt.datetime.fromisoformat(value))
        except ValueError:
            return value
    return ISO_DATE.sub(_iso_to_govuk, value)


JOB_LABELS = {
    "expiry_scan": "Daily compliance scan",
    "send_reminders": "Sending reminders and letters",
    "retention": "Deleting records past their retention period",
    "enforcement_effects": "Suspensions and revocations taking effect",
}


def job_label(name):
    """A scheduled job's name as people read it."""
    return JOB_LABELS.get(name, str(name).replace("_", " ").capitalize())


def label(value):
    return getattr(value, "label", value) if value is not None else ""


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A CSV cell that a spreadsheet will not run as a formula (OWASP CSV injection)."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_line(values):
    """One CSV record (with its line ending) of neutralised cells."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow([safe_cell(v) for v in values])
    return buffer.getvalue()

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


_MONTHS = {name: number for number, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for name in names}
_NUMERIC_DATE = re.compile(r"^(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{2}|\d{4})$")
_WORDY_DATE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$")
_TIME = re.compile(r"^(\d{1,2})(?:[:.]?(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$")


def parse_typed_date(text):
    """A date typed the ways people type them (3/3/2026, 3.3.26, 3 March 2026, 2026-03-03), or None."""
    text = " ".join((text or "").strip().lower().split())
    try:
        if match := _NUMERIC_DATE.match(text):
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year + 2000 if year < 100 else year, month, day)
        if match := _WORDY_DATE.match(text):
            month = _MONTHS.get(match.group(2))
            return dt.date(int(match.group(3)), month, int(match.group(1))) if month else None
        if re.match(r"^\d{4}-\d{2}-\d{2}$", text):
            return dt.date.fromisoformat(text)
    except ValueError:
        return None
    return None


def parse_typed_time(text):
    """A time of day typed as people type it (10am, 10.30am, 2pm, 14:30, 1430, noon), or None."""
    text = (text or "").strip().lower().replace(" ", "")
    if text in ("noon", "midday", "12noon"):
        return dt.time(12)
    match = _TIME.match(text)
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").replace(".", "")
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return dt.time(hour, minute)


def field_name(label_text):
    """A field's label as an error message names it: without its parenthesised help, so
    "Due date (optional: set from the priority if left blank)" reads "Due date"."""
    text = str(label_text or "").strip()
    short = re.split(r"\s+\(", text, maxsplit=1)[0].strip()
    return short or text


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

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


# How audit actions read in the holder timeline and the audit trail; any other action reads from
# its code ("case.transition" as "Case: transition").
AUDIT_ACTION_LABELS = {
    "holder.create": "Licence holder created",
    "holder.update": "Details changed",
    "vehicle.create": "Vehicle added",
    "vehicle.update": "Vehicle details changed",
    "licence.apply": "Licence application recorded",
    "licence_application.receive": "Application received",
    "licence_application.granted": "Application granted",
    "licence_application.refused": "Application refused",
    "licence_application.deferred": "Application deferred",
    "licence.grant": "Licence granted",
    "licence.refuse": "Licence refused",
    "licence.renew": "Licence renewed",
    "licence.active": "Licence reinstated",
    "licence.suspended": "Licence suspended",
    "licence.revoked": "Licence revoked",
    "licence.expired": "Licence expired",
    "licence.surrendered": "Licence surrendered",
    "check.record": "Compliance check recorded",
    "check.withdrawn": "Compliance check withdrawn as entered in error",
    "evidence.upload": "Evidence uploaded",
    "evidence.download": "Evidence downloaded",
    "conviction.record": "Conviction recorded",
    "conviction.withdrawn": "Conviction withdrawn as entered in error",
    "intelligence.create": "Intelligence recorded",
    "intelligence.view": "Intelligence viewed",
    "non_conviction.create": "Non-conviction information recorded",
    "non_conviction.finding": "Finding on non-conviction information recorded",
    "non_conviction_information.view": "Non-conviction information viewed",
    "incoming_concern.received": "Information received from another authority (s.5)",
    "incoming_concern.decided": "Decision on information from another authority",
    "incoming_concern.sender_informed": "Sending authority told of the decision",
    "information_share.create": "Information shared or received logged",
    "nr3s.match_override": "NR3S match overridden by a senior officer",
    "enforcement_action.effective": "Decision took effect",
    "enforcement_action.suspension_ended": "Suspension ended",
    "enforcement_action.returned": "Badge or plate returned",
    "appeal.lodged": "Appeal lodged",
    "appeal.decided": "Appeal decided",
    "licence.restored_on_appeal": "Licence restored on appeal",
    "nr3s.entered": "NR3S entry made",
}
AUDIT_ACTION_LABELS.update({
    "auth.login": "Signed in",
    "auth.logout": "Signed out",
    "auth.login_failed": "Sign-in refused",
    "access.denied": "Page refused",
    "user.create": "Account created",
    "user.update": "Account changed",
    "user.disable": "Account disabled",
    "user.enable": "Account enabled",
    "case.opened": "Review case opened",
    "case.transition": "Review case moved on",
    "case.assessed": "Convictions assessed against the guidance",
    "case.assigned": "Review case assigned",
    "demo.load": "Demo data loaded",
    "user.password_change": "Password changed",
    "letter.send_withdrawn": "Letter not sent: replaced by a corrected letter",
})

# Record types in the audit trail, as people call them.
AUDIT_RECORD_LABELS = {
    "users": "Account", "user": "Account", "licence_holders": "Licence holder", "holder": "Licence holder",
    "licences": "Licence", "licence": "Licence", "vehicles": "Vehicle", "vehicle": "Vehicle",
    "compliance_checks": "Compliance check", "review_cases": "Review case", "case": "Review case",
    "hearings": "Hearing", "hearing_listings": "Hearing listing", "enforcement_actions": "Enforcement action",
    "issued_letters": "Letter", "intelligence": "Intelligence", "route": "Page",
    "non_conviction_information": "Non-conviction information", "incoming_concerns": "Concern from another authority",
    "information_shares": "Information sharing log",
}
# Changed values never shown in the audit trail, even where an old row holds them.
HIDDEN_AUDIT_KEYS = frozenset({"totp_secret", "password_hash", "session_token", "totp_last_step"})
_CODE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")


def audit_action_label(action):
    """'licence.grant' reads 'Licence granted'; an action without a label reads from its code."""
    if action in AUDIT_ACTION_LABELS:
        return AUDIT_ACTION_LABELS[action]
    return str(action).replace("_", " ").replace(".", ": ").capitalize()


def audit_record_label(entity_type):
    return AUDIT_RECORD_LABELS.get(entity_type) or str(entity_type).replace("_", " ").capitalize()


def audit_key_label(key):
    """'assigned_officer_id' reads 'Assigned officer'."""
    key = str(key)
    key = key[:-3] if key.endswith("_id") else key[:-4] if key.endswith("_ids") else key
    return key.replace("_", " ").capitalize()


def audit_value(value):
    """A recorded value as people read it: dates the GOV.UK way, codes as words, nothing as 'blank'."""
    if value is None or value == "":
        return "blank"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and _CODE.match(value):
        return value.replace("_", " ")
    return display_value(value)


def names_a_person(key):
    """Whether an audit value under `key` is a staff account's id (shown as the person's name)."""
    return str(key).endswith(("officer_id", "_by_id", "chair_id", "user_id", "actor_id"))


def audit_changes(before, after, people=None):
    """[(label, before or None, after)] of an audit row's change, without empty or hidden values;
    `people` ({user id: name}) names the accounts that ids point to."""
    before, after, people = before or {}, after or {}, people or {}

    def shown(key, value):
        if names_a_person(key) and value in people:
            return people[value]
        return audit_value(value)

    rows = []
    for key, value in after.items():
        if key in HIDDEN_AUDIT_KEYS or key == "id" or (value in (None, "") and before.get(key) in (None, "")):
            continue
        old = shown(key, before[key]) if key in before else None
        rows.append((audit_key_label(key), old, shown(key, value)))
    return rows


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

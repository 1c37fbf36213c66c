"""An iCalendar (RFC 5545) invitation for a hearing, written by hand: text escaped, lines
folded at 75 octets, CRLF line ends."""

import datetime as dt


def escape_text(value):
    return (value or "").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,") \
        .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line):
    """Split a content line into chunks of at most 75 octets, never inside a UTF-8 character."""
    out, current = [], b""
    for char in line:
        encoded = char.encode()
        limit = 75 if not out else 74  # continuation lines start with a space
        if len(current) + len(encoded) > limit:
            out.append(current)
            current = b""
        current += encoded
    out.append(current)
    return "\r\n ".join(chunk.decode() for chunk in out)


# RFC 5545 requires a VTIMEZONE for every TZID used: UK summer time rules since 1996.
LONDON = (
    "BEGIN:VTIMEZONE", "TZID:Europe/London",
    "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0000", "TZOFFSETTO:+0100", "TZNAME:BST", "DTSTART:19810329T010000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
    "BEGIN:STANDARD", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0000", "TZNAME:GMT", "DTSTART:19961027T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
    "END:VTIMEZONE",
)


def hearing_invitation(hearing, domain, now=None, duration=dt.timedelta(hours=3)):
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    local = "%Y%m%dT%H%M%S"
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Taxi licensing//Hearings//EN", "METHOD:PUBLISH",
        *LONDON,
        "BEGIN:VEVENT",
        f"UID:hearing-{hearing.id}@{domain}",
        f"DTSTAMP:{now.strftime(local)}Z",
        f"DTSTART;TZID=Europe/London:{hearing.starts_at.strftime(local)}",
        f"DTEND;TZID=Europe/London:{(hearing.starts_at + duration).strftime(local)}",
        f"SUMMARY:{escape_text(hearing.deciding_body + ' hearing')}",
        f"LOCATION:{escape_text(hearing.venue)}",
        "DESCRIPTION:" + escape_text("Confidential hearing. See the agenda and bundles in the licensing system."),
        f"STATUS:{'CANCELLED' if hearing.status.value == 'cancelled' else 'CONFIRMED'}",
        "END:VEVENT", "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)

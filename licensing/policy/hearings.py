"""Hearing policy as data: notice period, evidence deadline and appeal period, by edition."""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from licensing.policy import from_record, in_force_on, load_editions

DATA_FILE = Path(__file__).parent / "data" / "hearings.json"


@dataclass(frozen=True)
class HearingPolicy:
    edition: str
    effective_from: dt.date
    notice_working_days: int
    evidence_deadline_working_days_before: int
    appeal_days: int
    # "clear": neither the day of notice nor the hearing day counts towards the notice period;
    # "inclusive": the hearing day counts (the day of notice never does).
    notice_counting: str
    # The report and bundle go to the holder with the agenda, this many working days before.
    agenda_working_days_before: int


def _edition(raw):
    return from_record(HearingPolicy, raw)


def editions():
    return load_editions(DATA_FILE, _edition)


def policy_on(day):
    """The edition in force on `day` (the earliest edition for days before all of them)."""
    return in_force_on(editions(), day)

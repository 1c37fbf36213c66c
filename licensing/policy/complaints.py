"""Complaint response targets as versioned policy data (data/complaints.json).

Working days are Monday to Friday; bank holidays are not counted out.
"""

import datetime as dt
import pathlib
from dataclasses import dataclass

from licensing.policy import from_record, in_force_on, load_editions

DATA_FILE = pathlib.Path(__file__).parent / "data" / "complaints.json"


@dataclass(frozen=True)
class ComplaintTargets:
    edition: str
    title: str
    effective_from: dt.date
    response_target_working_days: int


def _edition(raw):
    return from_record(ComplaintTargets, raw)


def response_target_days(on_date, path=DATA_FILE):
    return in_force_on(load_editions(path, _edition), on_date).response_target_working_days


def add_working_days(start, days):
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def response_due(received_on, path=DATA_FILE):
    return add_working_days(received_on, response_target_days(received_on, path))

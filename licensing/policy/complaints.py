"""Complaint response targets as versioned policy data (data/complaints.json).

Working days are counted by the one working-day rule (`licensing.policy.working_days`): weekends
and English bank holidays, with their substitute days, are not working days.
"""

import datetime as dt
import pathlib
from dataclasses import dataclass

from licensing.policy import from_record, in_force_on, load_editions
from licensing.policy.working_days import add_working_days

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


def response_due(received_on, path=DATA_FILE):
    return add_working_days(received_on, response_target_days(received_on, path))

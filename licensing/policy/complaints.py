"""Complaint response targets as versioned policy data (data/complaints.json).

Working days are Monday to Friday; bank holidays are not counted out.
"""

import datetime as dt
import functools
import json
import pathlib

DATA_FILE = pathlib.Path(__file__).parent / "data" / "complaints.json"


@functools.cache
def _editions(path=DATA_FILE):
    raw = json.loads(pathlib.Path(path).read_text())["editions"]
    return tuple(sorted(raw, key=lambda e: e["effective_from"]))


def response_target_days(on_date, path=DATA_FILE):
    current = _editions(path)[0]
    for edition in _editions(path):
        if dt.date.fromisoformat(edition["effective_from"]) <= on_date:
            current = edition
    return int(current["response_target_working_days"])


def add_working_days(start, days):
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def response_due(received_on, path=DATA_FILE):
    return add_working_days(received_on, response_target_days(received_on, path))

"""Which compliance checks each licence type requires, as versioned policy data.

The editions live in `data/requirements.json`; the edition in force on a date is the one with
the latest `effective_from` on or before it. Changing policy means adding an edition, not code.
"""

import datetime as dt
import functools
import json
import pathlib
from dataclasses import dataclass

DATA_FILE = pathlib.Path(__file__).parent / "data" / "requirements.json"


@dataclass(frozen=True)
class RequirementsEdition:
    edition: str
    title: str
    effective_from: dt.date
    requirements: dict  # licence type value -> tuple of check kind values


@functools.cache
def editions(path=DATA_FILE):
    raw = json.loads(pathlib.Path(path).read_text())
    result = [
        RequirementsEdition(
            edition=e["edition"],
            title=e["title"],
            effective_from=dt.date.fromisoformat(e["effective_from"]),
            requirements={k: tuple(v) for k, v in e["requirements"].items()},
        )
        for e in raw["editions"]
    ]
    return tuple(sorted(result, key=lambda e: e.effective_from))


def edition_on(on_date, path=DATA_FILE):
    """The edition in force on `on_date` (the earliest edition for dates before any)."""
    current = editions(path)[0]
    for edition in editions(path):
        if edition.effective_from <= on_date:
            current = edition
    return current


def required_check_kinds(licence_type, on_date, path=DATA_FILE):
    """Check kind values (strings) required for `licence_type` on `on_date`."""
    return edition_on(on_date, path).requirements.get(str(licence_type), ())

"""Lookup policy as versioned data (see `data/lookups.json`): the DBS Update Service re-check
interval and how long a DVLA check code lasts."""

import datetime as dt
import pathlib
from dataclasses import dataclass

from licensing.policy import from_record, in_force_on, load_editions

DATA_FILE = pathlib.Path(__file__).parent / "data" / "lookups.json"


@dataclass(frozen=True)
class LookupRules:
    edition: str
    title: str
    effective_from: dt.date
    dbs_update_recheck_months: int
    dbs_update_recheck_source: str
    dvla_check_code_valid_days: int
    dvla_check_code_source: str


def rules_on(on_date, path=DATA_FILE):
    return in_force_on(load_editions(path, lambda raw: from_record(LookupRules, raw)), on_date)


def add_months(day, months):
    """`day` plus whole months, on the last day of a shorter month (31 August + 6 = 28/29 February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError("no such month")


def next_dbs_check(checked_on):
    return add_months(checked_on, rules_on(checked_on).dbs_update_recheck_months)

"""Protected convictions and cautions: the DBS filtering rules (data/dbs_filtering.json).

A protected conviction or caution must not be relied on by the licensing authority, so the
engine never assesses one and a panel bundle never shows one. Status depends on the date: a
caution becomes protected some years after it was given. An officer may record the status
instead (with a reason), for instance where the DBS certificate settles it.

Fixed penalties are not convictions or cautions at all; filtering does not apply to them.
"""

import datetime as dt
import json
import pathlib
from dataclasses import dataclass
from functools import cache

DATA = pathlib.Path(__file__).resolve().parent / "data" / "dbs_filtering.json"


@dataclass(frozen=True)
class FilteringRules:
    starts: dt.date
    label: str
    adult_caution_years: int
    youth_caution_years: int
    adult_conviction_years: int
    youth_conviction_months: int
    single_conviction_only: bool
    youth_cautions_always_protected: bool
    custodial_sentence_types: frozenset


@dataclass(frozen=True)
class Filtering:
    rule_sets: tuple  # FilteringRules, oldest first
    never_protected_categories: frozenset

    def rules_on(self, day):
        in_force = [r for r in self.rule_sets if r.starts <= day]
        return in_force[-1] if in_force else None


def parse_filtering(raw):
    rule_sets = tuple(sorted((
        FilteringRules(
            starts=dt.date.fromisoformat(r["from"]), label=r["label"],
            adult_caution_years=int(r["adult_caution_years"]), youth_caution_years=int(r["youth_caution_years"]),
            adult_conviction_years=int(r["adult_conviction_years"]),
            youth_conviction_months=int(r["youth_conviction_months"]),
            single_conviction_only=bool(r["single_conviction_only"]),
            youth_cautions_always_protected=bool(r["youth_cautions_always_protected"]),
            custodial_sentence_types=frozenset(r["custodial_sentence_types"]),
        ) for r in raw["rule_sets"]), key=lambda r: r.starts))
    return Filtering(rule_sets, frozenset(raw["never_protected_categories"]))


@cache
def bundled_filtering():
    return parse_filtering(json.loads(DATA.read_text()))


def add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def _value(item, name):
    value = getattr(item, name, None)
    return getattr(value, "value", value)


def protected_until_rules(item, as_at, convictions_count, filtering):
    """(protected?, why) for one recorded item on `as_at` by the filtering rules alone."""
    disposal = _value(item, "disposal")
    if disposal == "fixed_penalty":
        return False, "a fixed penalty is not a conviction or caution"
    if _value(item, "category") in filtering.never_protected_categories or getattr(item, "listed_offence", False):
        return False, "a listed (specified) offence is never filtered"
    rules = filtering.rules_on(as_at)
    if rules is None:
        return False, "no filtering rules were in force"
    youth = bool(getattr(item, "youth", False))
    given = item.conviction_date
    if disposal in ("caution", "youth_caution"):
        if disposal == "youth_caution" and rules.youth_cautions_always_protected:
            return True, f"youth caution ({rules.label})"
        years = rules.youth_caution_years if youth or disposal == "youth_caution" else rules.adult_caution_years
        return as_at >= add_months(given, years * 12), f"caution of {years} years or more ago ({rules.label})"
    if _value(item, "sentence_type") in rules.custodial_sentence_types:
        return False, "a custodial sentence is never filtered"
    if rules.single_conviction_only and convictions_count > 1:
        return False, "more than one conviction is never filtered under these rules"
    months = rules.youth_conviction_months if youth else rules.adult_conviction_years * 12
    return as_at >= add_months(given, months), f"conviction of {months} months or more ago ({rules.label})"


def is_protected(item, as_at, convictions_count, filtering=None):
    """Whether `item` is protected on `as_at`: the officer's recorded decision if any, else the rules.
    `convictions_count` is how many convictions (not cautions) the holder has in all."""
    override = getattr(item, "protected_override", None)
    if override is not None:
        return bool(override)
    return protected_until_rules(item, as_at, convictions_count, filtering or bundled_filtering())[0]


def unprotected(convictions, as_at, filtering=None):
    """The convictions, cautions and endorsements that may be relied on (shown to a panel) on `as_at`."""
    convictions = list(convictions)
    count = sum(1 for c in convictions if _value(c, "disposal") == "conviction")
    return [c for c in convictions if not is_protected(c, as_at, count, filtering)]

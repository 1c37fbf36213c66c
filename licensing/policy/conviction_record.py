"""What a conviction, caution or endorsement record must look like, whoever records it.

The conviction form, the conviction import and the DVLA check all go through `check_conviction`,
so the import refuses exactly what the form refuses. DVLA endorsement codes and the guidance
category each belongs to are policy data (data/endorsement_codes.json).
"""

import json
import pathlib
from dataclasses import dataclass
from functools import cache

from licensing.models.offences import MOTORING, OFFENCE_LABELS, Disposal, OffenceCategory, SentenceType

DATA = pathlib.Path(__file__).resolve().parent / "data" / "endorsement_codes.json"
CAUTIONS = ("caution", "youth_caution")
WITH_LENGTH = ("custodial", "suspended", "community_order")
NO_LENGTH = ("fine",)
MAX_POINTS = 11  # the most a court endorses for one offence
MAX_SENTENCE_MONTHS = 600


@dataclass(frozen=True)
class EndorsementCode:
    code: str
    category: str
    points_min: int
    points_max: int


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


@cache
def endorsement_codes():
    raw = json.loads(DATA.read_text())
    return {code: EndorsementCode(code, row["category"], *row["points"]) for code, row in raw["codes"].items()}


def endorsement(code):
    return endorsement_codes().get((code or "").strip().upper().replace(" ", ""))


def age_on(born, day):
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _value(value):
    return getattr(value, "value", value)


def check_conviction(values, *, today, date_of_birth=None):
    """(cleaned values, [Problem]) for one record. `values` holds the parsed fields (dates as
    dates, numbers as ints, enumerations as values); missing keys count as blank."""
    v = {key: _value(value) for key, value in values.items()}
    for key in ("offence", "endorsement_code", "protected_reason", "sentence"):
        v[key] = (v.get(key) or "").strip() or None
    problems = []

    def add(field, message):
        problems.append(Problem(field, message))

    v["disposal"] = v.get("disposal") or "conviction"
    _check_basics(v, add, today)
    _check_code(v, add)
    _check_youth(v, add, date_of_birth)
    _check_sentence(v, add)
    _check_disqualification(v, add)
    if v.get("protected_override") is not None and not v["protected_reason"]:
        add("protected_reason", "Give the reason for recording whether this is protected")
    if v.get("protected_override") is None:
        v["protected_reason"] = None
    v["youth"], v["listed_offence"] = bool(v.get("youth")), bool(v.get("listed_offence"))
    return v, problems


def _check_basics(v, add, today):
    if not v["offence"]:
        add("offence", "Enter the offence")
    convicted, offended = v.get("conviction_date"), v.get("offence_date")
    if convicted is None:
        add("conviction_date", "Enter the conviction, caution or penalty date")
    elif convicted > today:
        add("conviction_date", "The conviction date must be today or in the past")
    if offended and offended > today:
        add("offence_date", "The offence date must be today or in the past")
    elif offended and convicted and offended > convicted:
        add("offence_date", "The offence date must be on or before the conviction date")
    end = v.get("sentence_end_date")
    if end and convicted and end < convicted:
        add("sentence_end_date", "The sentence cannot end before the conviction")


def _check_code(v, add):
    code, category = v["endorsement_code"], v.get("category") or None
    known = None
    if code:
        known = endorsement(code)
        if known is None:
            add("endorsement_code", "Enter a DVLA endorsement code from the council's table, for example SP30")
        else:
            v["endorsement_code"] = known.code
            if category is None:
                category = known.category
            elif category != known.category:
                add("endorsement_code", f"{known.code} is in the category “{OFFENCE_LABELS[known.category]}”, "
                                        f"not “{OFFENCE_LABELS.get(category, category)}”")
            points = v.get("penalty_points")
            if points is not None and not known.points_min <= points <= known.points_max:
                add("penalty_points", f"{known.code} carries {known.points_min} to {known.points_max} penalty points"
                    if known.points_min != known.points_max else f"{known.code} carries {known.points_min} points")
    v["category"] = category
    if category is None:
        add("category", "Select a category (or enter the DVLA endorsement code)")
    driving = bool(code) or category in MOTORING
    points = v.get("penalty_points")
    if points is not None and known is None and not 0 <= points <= MAX_POINTS:
        add("penalty_points", f"Penalty points must be between 0 and {MAX_POINTS}")
    elif points is not None and not driving:
        add("penalty_points", "Penalty points are endorsed only for motoring offences")
    if v.get("disqualification_start") and not driving:
        add("disqualification_start", "A driving disqualification goes only with a motoring offence")
    if v["disposal"] == "fixed_penalty" and not driving:
        add("disposal", "A fixed penalty here is a motoring endorsement: enter its code or a motoring category")


def _check_youth(v, add, date_of_birth):
    on = v.get("offence_date") or v.get("conviction_date")
    if date_of_birth and on:
        age = age_on(date_of_birth, on)
        if age < 18:
            v["youth"] = True  # the date of birth settles it
        elif v.get("youth") or v["disposal"] == "youth_caution":
            add("youth" if v.get("youth") else "disposal",
                f"The holder was {age} on the offence date, so this is not a youth matter")
            return
    if v["disposal"] == "youth_caution":
        v["youth"] = True


def _check_sentence(v, add):
    kind, months = v.get("sentence_type") or None, v.get("sentence_months")
    v["sentence_type"] = kind
    if v["disposal"] in CAUTIONS or v["disposal"] == "fixed_penalty":
        what = "A caution" if v["disposal"] in CAUTIONS else "A fixed penalty"
        for field in ("sentence_type", "sentence_months", "sentence_end_date", "disqualification_start"):
            if v.get(field) not in (None, ""):
                add(field, f"{what} has no sentence or disqualification")
                return
        if v["disposal"] in CAUTIONS and v.get("penalty_points") is not None:
            add("penalty_points", "A caution carries no penalty points")
        return
    if months is not None and kind is None:
        add("sentence_type", "Choose the type of sentence")
    elif kind in WITH_LENGTH and months is None:
        add("sentence_months", "Enter the length of the sentence in months")
    elif kind in NO_LENGTH and months:
        add("sentence_months", "A fine has no length: leave the months blank")
    if months is not None and not 0 <= months <= MAX_SENTENCE_MONTHS:
        add("sentence_months", f"The sentence length must be between 0 and {MAX_SENTENCE_MONTHS} months")


def _check_disqualification(v, add):
    start, end = v.get("disqualification_start"), v.get("disqualification_end")
    if end and not start:
        add("disqualification_start", "Enter when the disqualification started")
    elif start and not end:
        add("disqualification_end", "Enter when the disqualification ends (or ended)")
    elif start and end and end < start:
        add("disqualification_end", "The disqualification cannot end before it starts")
    offended = v.get("offence_date")
    if start and offended and start < offended:
        add("disqualification_start", "The disqualification cannot start before the offence")


def first_problem_at(problems, fields):
    """The first problem, preferring one at a field the caller shows (a form)."""
    for problem in problems:
        if problem.field in fields:
            return problem
    return problems[0] if problems else None


STORED_FIELDS = (
    "category", "disposal", "offence", "offence_date", "conviction_date", "sentence", "sentence_type",
    "sentence_months", "sentence_end_date", "disqualification_start", "disqualification_end", "penalty_points",
    "endorsement_code", "youth", "listed_offence", "protected_override", "protected_reason",
)


def stored(values):
    """The cleaned values as the columns of a conviction row (enumerations as members)."""
    row = {key: values.get(key) for key in STORED_FIELDS}
    for key, enum_cls in (("category", OffenceCategory), ("disposal", Disposal), ("sentence_type", SentenceType)):
        row[key] = enum_cls(row[key]) if row[key] else None
    return row

"""Hearing procedure as data (`data/hearing_procedure.json`): which outcomes each power covers,
the outcomes a hearing may reach, and the exempt-information paragraphs of the Local Government
Act 1972 Schedule 12A under which the public may be excluded."""

import json
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "hearing_procedure.json"


@cache
def _data():
    return json.loads(DATA_FILE.read_text())


def powers():
    """{power key: label}."""
    return {key: value["label"] for key, value in _data()["powers"].items()}


def power_for(outcome):
    """The power a hearing outcome needs, or None for a procedural outcome (deferral, surrender)."""
    return next((key for key, value in _data()["powers"].items() if outcome in value["outcomes"]), None)


def possible_outcomes(on_application):
    return tuple(_data()["outcomes_on_application" if on_application else "outcomes_on_review"])


def exempt_paragraphs():
    """{paragraph number: its text}."""
    return {int(number): text for number, text in _data()["exempt_information"].items()}


def paragraph_text(number):
    return exempt_paragraphs()[int(number)]


def default_private_paragraph():
    return _data()["default_private_paragraph"]


def public_interest_test():
    return _data()["public_interest_test"]


def source():
    return _data()["source"]

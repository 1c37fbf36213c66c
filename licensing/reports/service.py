"""The one entry point that builds a report, for the pages, the downloads and the command line."""

from licensing.reports.decision_record import decision_record
from licensing.reports.hearings import hearing_outcomes, panel_agreement
from licensing.reports.periods import Quarter
from licensing.reports.quarterly import quarterly
from licensing.reports.snapshot import snapshot
from licensing.reports.statistics import statistics

# Corporate plan measure 3.A4: data collection starts from quarter 2 of 2016/17.
FIRST_QUARTER = Quarter(2016, 2)
KINDS = ("quarterly", "hearings", "statistics", "snapshot", "agreement", "decisions", "decisions_public")


def build(kind, **params):
    if kind == "quarterly":
        return quarterly(params["quarter"], list_limit=params.get("list_limit"), today=params.get("today"))
    if kind == "hearings":
        return hearing_outcomes(params["start"], params["end"], params.get("body"), params.get("maker"))
    if kind == "statistics":
        return statistics(params["start"], params["end"])
    if kind == "snapshot":
        return snapshot(params["on_date"])
    if kind == "agreement":
        return panel_agreement(params["start"], params["end"])
    if kind in ("decisions", "decisions_public"):
        return decision_record(params["start"], params["end"], params.get("forum"), params.get("maker"),
                               full=kind == "decisions", entries=params.get("entries"),
                               list_limit=params.get("list_limit"), total=params.get("total"))
    raise ValueError(f"unknown report {kind!r}")

"""The nightly job that stores the report of each closed quarter not stored yet: after a quarter
ends its figures are facts, computed once and then read from the store."""

from licensing.reports.service import FIRST_QUARTER
from licensing.reports.store import closed_quarters_missing, store_quarter

MAX_QUARTERS_A_RUN = 8  # a first run on an old council fills in its history over a few nights


def store_closed_quarters(context):
    stored = []
    for quarter in closed_quarters_missing(FIRST_QUARTER, context.today)[-MAX_QUARTERS_A_RUN:][::-1]:
        store_quarter(quarter, reason="The quarter has closed")
        stored.append(quarter.name)
    return {"quarters_stored": len(stored), "quarters": ", ".join(stored)}


def remove_expired_exports(context):
    """Large downloads are kept for a day after they are made."""
    from licensing.reports.exports import remove_expired

    return {"exports_removed": remove_expired(context.now)}

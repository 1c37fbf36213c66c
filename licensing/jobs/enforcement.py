"""The daily enforcement job: actions take effect on their effective date, suspensions end (the
licence restored), NR3S tasks are opened where missing, and overdue badge and plate returns,
NR3S entries and cross-border referrals are flagged. Idempotent: a second run the same day
changes nothing."""

from licensing.revocations.duties import flag_overdue, open_missing_nr3s_entries
from licensing.revocations.operations import apply_due


def enforcement_effects(ctx):
    counts = apply_due(None, ctx.today)
    counts["nr3s_tasks_opened"] = open_missing_nr3s_entries(None)
    counts.update(flag_overdue(ctx.today))
    return counts

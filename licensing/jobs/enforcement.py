"""The daily enforcement job: actions take effect on their effective date, suspensions end (the
licence restored), NR3S tasks are opened where missing, and overdue badge and plate returns,
NR3S entries and cross-border referrals are flagged; vehicle licences not put right within the
section 68 period are deemed revoked, and their holders reminded before. Idempotent: a second run the same day
changes nothing."""

from licensing.revocations import defects
from licensing.revocations.duties import flag_overdue, open_missing_nr3s_entries
from licensing.revocations.operations import apply_due


def enforcement_effects(ctx):
    counts = apply_due(None, ctx.today)
    counts["deemed_revocations"] = defects.deem_revocations(None, ctx.today)
    counts["defect_reminders"] = defects.send_reminders(None, ctx.today)
    counts["nr3s_tasks_opened"] = open_missing_nr3s_entries(None)
    counts.update(flag_overdue(ctx.today))
    return counts

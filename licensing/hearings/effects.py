"""When a hearing decision takes effect. Pure: the appeals feature extends this one rule."""

import datetime as dt

from licensing.policy.hearings import policy_on


def appeal_deadline(notice_date):
    """The last day to appeal to the magistrates' court (21 days from the notice)."""
    return notice_date + dt.timedelta(days=policy_on(notice_date).appeal_days)


def effective_date(decision_date, notice_date, *, immediate):
    """Immediate decisions take effect on the decision date; others on the day after the
    appeal period from the notice date ends."""
    if immediate:
        return decision_date
    return appeal_deadline(notice_date) + dt.timedelta(days=1)

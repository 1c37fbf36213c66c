"""Open-ended suspensions end on an event, not a date: compliance with the requirements a
suspension until compliant was for, or the remedy of a s.68 vehicle defect."""

from licensing.audit import record
from licensing.models import ActionStatus


def _iso(value):
    return value.isoformat() if value else None


def end_on_event(actor, action, on_date, reason):
    """End an open-ended suspension on its end event (compliance, or a s.68 remedy): cancelled if it
    has not yet taken effect, otherwise ended on `on_date`. The caller moves the licence."""
    if action.status == ActionStatus.CANCELLED or action.ended_on is not None:
        return action
    before = {"status": action.status.value, "ended_on": None, "cancelled_on": None}
    if action.status == ActionStatus.PENDING:
        action.status, action.cancelled_on = ActionStatus.CANCELLED, on_date
    else:
        action.ended_on = on_date
    record(actor, "enforcement_action.ended_on_event", action, before=before, after={
        "status": action.status.value, "ended_on": _iso(action.ended_on), "cancelled_on": _iso(action.cancelled_on),
        "end_event": action.end_event}, reason=reason)
    return action

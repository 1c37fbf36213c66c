"""When a hearing decision takes effect: the one rule lives in `licensing.revocations.effects`
(immediate effect, the 21-day appeal period, and appeals)."""

from licensing.revocations.effects import appeal_deadline, effective_date

__all__ = ["appeal_deadline", "effective_date"]

"""What a compliance evaluation answers: due items, a holder's status, and the policy in use."""

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from flask import current_app

from licensing.models import (
    CheckKind,
    CheckResult,
    LicenceStatus,
)
from licensing.policy.requirements import DATA_FILE

CHECK_KINDS = frozenset(k.value for k in CheckKind)
IN_FORCE = (LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED)
COUNTING_RESULTS = (
    CheckResult.PASS,
    CheckResult.CLEAR,
    CheckResult.NO_MATCH,
    CheckResult.INFORMATION_DISCLOSED,
    CheckResult.MATCH_FOUND,
)


class DueItem(NamedTuple):
    """One requirement of one licence in force, with the date it falls (or fell) due."""

    holder_id: int
    licence_id: int
    licence_number: str
    licence_type: str
    requirement: str
    label: str
    due_on: dt.date
    days_left: int
    suspend_when_overdue: bool

    @property
    def overdue(self):
        return self.days_left < 0


@dataclass
class ComplianceStatus:
    holder_id: int
    on_date: dt.date
    items: list = field(default_factory=list)  # every tracked requirement with a due date

    @property
    def reasons(self):
        """Why the holder is not compliant: each overdue requirement, oldest first."""
        return sorted((i for i in self.items if i.overdue), key=lambda i: (i.due_on, i.requirement))

    @property
    def compliant(self):
        return not self.reasons

    def due_within(self, days):
        return sorted(
            (i for i in self.items if 0 <= i.days_left <= days), key=lambda i: (i.due_on, i.requirement)
        )


def policy_path():
    return current_app.config.get("REQUIREMENTS_FILE") or DATA_FILE


class LicenceInForce(NamedTuple):
    id: int
    holder_id: int
    licence_number: str
    licence_type: object
    issued_on: dt.date | None
    expires_on: dt.date | None
    date_of_birth: dt.date | None

""""Fit to work today": the one-line answer at the top of the holder page, from the same
compliance evaluation and check rows as the sections below it, so the two never disagree."""

from dataclasses import dataclass, field

import sqlalchemy as sa

from licensing.compliance.evaluate import holder_compliance
from licensing.extensions import db
from licensing.holders.checks import CheckState
from licensing.models import ActionKind, ActionStatus, EnforcementAction, LicenceStatus
from licensing.policy.register import rules_on
from licensing.text import govuk_date

FIT, ACTION_NEEDED, NOT_FIT, NOT_LICENSED = "fit", "soon", "unfit", "none"


@dataclass
class Fitness:
    state: str  # FIT, ACTION_NEEDED, NOT_FIT or NOT_LICENSED
    headline: str
    reasons: list = field(default_factory=list)  # sentences, most serious first
    next_due: object = None  # the next DueItem not yet overdue

    @property
    def css_class(self):
        return f"app-fitness--{self.state}"


def pending_actions(holder_id):
    """Decisions against the holder's licences that have not yet taken effect."""
    return db.session.execute(
        sa.select(EnforcementAction).where(EnforcementAction.holder_id == holder_id,
                                           EnforcementAction.status == ActionStatus.PENDING)
        .order_by(EnforcementAction.effective_date, EnforcementAction.id)).scalars().all()


def _action_sentence(action, number):
    kind = action.kind.label.lower() if isinstance(action.kind, ActionKind) else str(action.kind)
    when = f", taking effect on {govuk_date(action.effective_date)}" if action.effective_date else \
        ", not yet in effect (the notice is to be served)"
    return f"A {kind} of licence {number} was decided on {govuk_date(action.decision_date)}{when}"


def _licence_reasons(licences):
    reasons = []
    for licence in licences:
        if licence.status == LicenceStatus.SUSPENDED:
            reasons.append(f"Licence {licence.licence_number} ({licence.licence_type.label.lower()}) is suspended")
        elif licence.status == LicenceStatus.REVOKED:
            reasons.append(f"Licence {licence.licence_number} ({licence.licence_type.label.lower()}) is revoked")
    return reasons


def fit_to_work(licences, check_rows, compliance, actions, today):
    """The summary for a holder's `licences` on `today`. `compliance` is the holder's
    ComplianceStatus (licensing.compliance) and `check_rows` the page's check overview."""
    active = [lic for lic in licences if lic.status == LicenceStatus.ACTIVE]
    applied = [lic for lic in licences if lic.status == LicenceStatus.APPLIED]
    numbers = {lic.id: lic.licence_number for lic in licences}
    reasons = _licence_reasons(licences)
    overdue = [f"{item.label} for licence {item.licence_number} was due on {govuk_date(item.due_on)}"
               for item in compliance.reasons]
    upcoming = [item for item in compliance.items if not item.overdue]
    next_due = min(upcoming, key=lambda item: (item.due_on, item.requirement), default=None)
    pending = [_action_sentence(a, numbers.get(a.licence_id, "")) for a in actions]
    if not active:
        if reasons:
            return Fitness(NOT_FIT, "Not fit to work today: no licence in force", reasons + overdue + pending)
        if applied:
            missing = [row for row in check_rows if row.state == CheckState.MISSING and row.licence in applied]
            lines = [f"Application for licence {lic.licence_number} ({lic.licence_type.label.lower()}) "
                     "not yet decided" for lic in applied]
            if missing:
                lines.append(f"{len(missing)} required check{'' if len(missing) == 1 else 's'} not yet recorded: "
                             + ", ".join(row.kind.label for row in missing))
            return Fitness(NOT_LICENSED, "Not licensed yet", lines + pending)
        return Fitness(NOT_LICENSED, "No licence in force", pending)
    if reasons or overdue:
        count = len(overdue)
        headline = "Not fit to work today" + (f": {count} requirement{'' if count == 1 else 's'} overdue"
                                              if count and not reasons else "")
        return Fitness(NOT_FIT, headline, reasons + overdue + pending, next_due)
    soon_days = rules_on(today).check_due_soon_days
    soon = [item for item in upcoming if item.days_left <= soon_days]
    if pending or soon:
        lines = pending + [f"{item.label} for licence {item.licence_number} is due on {govuk_date(item.due_on)}"
                           for item in soon]
        return Fitness(ACTION_NEEDED, "Fit to work today, with action needed soon", lines, next_due)
    in_force = ", ".join(f"{lic.licence_number} ({lic.licence_type.label.lower()})" for lic in active)
    return Fitness(FIT, "Fit to work today", [f"Licensed: {in_force}; every check and course is in date"], next_due)


def holder_fitness(holder, today, record, present):
    """(Fitness, ComplianceStatus) for the holder page: `record` is `holder_record`'s answer and
    `present` `holder_presence`'s. The page's compliance section shows the same ComplianceStatus."""
    compliance = holder_compliance(holder.id, today, loaded=(holder, record["licences"]),
                                   with_training="bookings" in present)
    actions = pending_actions(holder.id) if "actions" in present else []
    return fit_to_work(record["licences"], record["check_rows"], compliance, actions, today), compliance

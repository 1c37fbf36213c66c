"""When a suspension, revocation or refusal takes effect: the one rule, pure functions of dates.

- Immediate effect (s.61(2B) LG(MP)A 1976, decided in the interests of public safety): when the
  notice is given (its deemed service date). The right of appeal remains; only the stay is removed.
- Otherwise (s.61(2A)): the day after the appeal period (21 days from service of the notice, policy data)
  ends; or, if an appeal is lodged within the period, the action is held until the appeal is
  determined: dismissed, withdrawn or abandoned -> it takes effect on that day; varied -> the new
  terms take effect on that day; allowed -> it is cancelled and never takes effect.
- An appeal lodged after the period (flagged late) and a further appeal to the Crown Court do not
  hold an action; their outcome still applies: allowed cancels it (the licence is restored),
  varied replaces its terms, from the day of the outcome.
- A suspension keeps its length: when it takes effect later than planned, its end moves with it.
"""

import datetime as dt
from dataclasses import dataclass

from licensing.policy.hearings import policy_on
from licensing.policy.service import deemed_served_on

DISMISSED, ALLOWED, VARIED, WITHDRAWN, ABANDONED = "dismissed", "allowed", "varied", "withdrawn", "abandoned"
OUTCOMES = (DISMISSED, ALLOWED, VARIED, WITHDRAWN, ABANDONED)
DECISION_STANDS = frozenset({DISMISSED, WITHDRAWN, ABANDONED})  # the council's decision was defended
ONE_DAY = dt.timedelta(days=1)

PENDING, EFFECTIVE, CANCELLED = "pending", "effective", "cancelled"


def appeal_deadline(notice_date):
    """The last day to appeal to the magistrates' court (21 days from the notice)."""
    return notice_date + dt.timedelta(days=policy_on(notice_date).appeal_days)


def lodged_in_time(notice_date, lodged_on):
    return lodged_on <= appeal_deadline(notice_date)


@dataclass(frozen=True)
class AppealFacts:
    """What the rule needs to know about one appeal against the action."""

    lodged_on: dt.date
    outcome: str | None = None
    decided_on: dt.date | None = None
    further: bool = False  # a further appeal (to the Crown Court) after a first appeal was decided


@dataclass(frozen=True)
class Effect:
    effective_on: dt.date | None  # the day the action takes (or took) effect; None while held or if never
    cancelled_on: dt.date | None  # the day an appeal allowed cancelled it
    varied_on: dt.date | None  # the day new terms set on appeal took over
    held: bool  # an appeal lodged in time is undecided, so the action waits

    def state_on(self, day):
        """pending, effective or cancelled on `day`."""
        if self.cancelled_on is not None and day >= self.cancelled_on:
            return CANCELLED
        if self.effective_on is not None and day >= self.effective_on:
            return EFFECTIVE
        return PENDING


def resolve(decision_date, notice_date, *, immediate, appeals=(), stay=True):
    """The effect of an action decided on `decision_date`, notified on `notice_date`, given its appeals.
    Without `stay` (a decision s.77(2) does not hold, such as a refused new application or a
    warning) it takes effect when served and an appeal does not hold it, as with immediate effect."""
    notice_date = notice_date or decision_date  # the day notice was served: time runs from it
    immediate = immediate or not stay
    effective_on = notice_date if immediate else appeal_deadline(notice_date) + ONE_DAY
    held, cancelled_on, varied_on = False, None, None
    order = lambda a: (a.lodged_on, a.further, a.decided_on or dt.date.max, a.outcome or "")  # noqa: E731
    for appeal in sorted(appeals, key=order):
        holds = (not immediate and not appeal.further and not held and cancelled_on is None
                 and lodged_in_time(notice_date, appeal.lodged_on))
        if holds and appeal.outcome is None:
            held, effective_on = True, None
            continue
        if appeal.outcome is None or cancelled_on is not None:
            continue
        if holds:
            if appeal.outcome == ALLOWED:
                effective_on, cancelled_on = None, appeal.decided_on
            else:
                effective_on = appeal.decided_on
                varied_on = appeal.decided_on if appeal.outcome == VARIED else varied_on
        elif appeal.outcome == ALLOWED:
            cancelled_on = appeal.decided_on
        elif appeal.outcome == VARIED:
            varied_on = appeal.decided_on
    return Effect(effective_on=effective_on, cancelled_on=cancelled_on, varied_on=varied_on, held=held)


def effective_date(decision_date, notice_date, *, immediate, appeals=(), stay=True):
    """The day the action takes effect (None while an appeal holds it, or if it was cancelled first)."""
    return resolve(decision_date, notice_date, immediate=immediate, appeals=appeals, stay=stay).effective_on


def stays(rule):
    """Whether an appeal in time holds a decision under `rule` (s.77(2))."""
    return bool(rule.stay_pending_appeal) and not rule.immediate_only


def suspension_window(effective_on, planned_from, planned_to):
    """(first day, last day) of a suspension that takes effect on `effective_on`: a suspension keeps
    the length it was given, so a later start moves its end by the same number of days."""
    if effective_on is None or planned_to is None:
        return effective_on, planned_to
    start = planned_from or effective_on
    return effective_on, planned_to + (effective_on - start)


def badge_return_due(effective_on, days):
    """Badge or plate to be returned within `days` days after the action takes effect."""
    return effective_on + dt.timedelta(days=days)


# Decisions that change nothing on the licence, so have no effective date.
NO_EFFECT = frozenset({"warning", "no_action"})
# Decisions that take effect when made (a grant), whatever the appeal.
EFFECT_ON_DECISION = frozenset({"grant", "conditions"})


@dataclass(frozen=True)
class NoticeDates:
    """The dates a notice gives the holder, all from the statutory rule and the service of the notice."""

    notice_date: dt.date  # the day the notice is handed over, posted or e-mailed
    service_method: str
    served_on: dt.date  # deemed service (policy data)
    appeal_deadline: dt.date | None  # None: no appeal lies
    effective_on: dt.date | None  # None: the decision changes nothing on the licence


def notice_dates(rule, *, decision_date, notice_date, service_method, immediate=False):
    """The dates for a notice of a decision under `rule` (licensing.policy.statutory) decided on
    `decision_date` and given by `service_method` on `notice_date`: time to appeal runs from the
    deemed service date; an immediate decision takes effect on it (s.61(2B): "when the notice is
    given"); otherwise a decision the holder may carry on under while appealing (s.77(2)) takes effect
    the day after the appeal period ends."""
    served_on = deemed_served_on(service_method, notice_date)
    deadline = rule.appeal_deadline(served_on)
    if rule.decision in NO_EFFECT:
        effective_on = None
    elif rule.decision in EFFECT_ON_DECISION:
        effective_on = decision_date
    elif immediate or rule.immediate_only or not rule.stay_pending_appeal or deadline is None:
        effective_on = served_on
    else:
        effective_on = deadline + ONE_DAY
    return NoticeDates(notice_date=notice_date, service_method=service_method, served_on=served_on,
                       appeal_deadline=deadline, effective_on=effective_on)

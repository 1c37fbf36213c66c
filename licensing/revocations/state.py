"""The state of enforcement actions and of their licence on a given day, computed from the stored
dates alone. The daily job applies exactly what these functions say, and the register and the
holder page show what they say, so both give the same answer for a day even before the job runs.

Duck-typed on EnforcementAction (kind, status, effective_date, suspension_from, suspension_to,
ended_on, immediate) and pure, so the rule can be tested without a database.
"""

from dataclasses import dataclass

from licensing.models import ActionKind, ActionStatus, LicenceStatus
from licensing.revocations.effects import suspension_window

PENDING, EFFECTIVE, ENDED, CANCELLED = "pending", "effective", "ended", "cancelled"
STATE_LABELS = {PENDING: "Pending", EFFECTIVE: "Effective", ENDED: "Ended", CANCELLED: "Cancelled"}
S = LicenceStatus


def takes_effect_by(action, day):
    """Its effective date has come, and its notice has been served: nothing takes effect on a holder
    who has not been given notice."""
    served = getattr(action, "service_recorded_on", day) is not None
    return served and action.effective_date is not None and action.effective_date <= day


def window(action):
    """(first, last) day of a suspension once it takes effect; the end moves with a later start."""
    return suspension_window(action.effective_date, action.suspension_from, action.suspension_to)


def action_state(action, day):
    """pending, effective, ended (a suspension that has run its course) or cancelled, on `day`."""
    if action.status == ActionStatus.CANCELLED:
        return CANCELLED
    if action.status == ActionStatus.PENDING and not takes_effect_by(action, day):
        return PENDING
    if action.kind == ActionKind.SUSPENSION:
        last = window(action)[1]
        if action.ended_on is not None or (last is not None and last < day):
            return ENDED
    return EFFECTIVE


def is_due(action, day):
    """Whether the daily job has something to apply to this action on `day`."""
    state = action_state(action, day)
    if action.status == ActionStatus.PENDING:
        return state in (EFFECTIVE, ENDED)
    return action.status == ActionStatus.EFFECTIVE and state == ENDED and action.ended_on is None


def claims(actions, day):
    """(revoked, suspended): whether any of `actions` in effect on `day` holds the licence so."""
    revoked = suspended = False
    for action in actions:
        if action_state(action, day) == EFFECTIVE:
            revoked |= action.kind == ActionKind.REVOCATION
            suspended |= action.kind == ActionKind.SUSPENSION
    return revoked, suspended


def restored_status(expires_on, day):
    return S.ACTIVE if expires_on is None or expires_on >= day else S.EXPIRED


def expected_licence_status(status, expires_on, actions, day, *, suspended_elsewhere=False):
    """The licence's status on `day` once every action due by then has been applied.

    A revocation taking effect revokes an active or suspended licence; a suspension taking effect
    suspends an active one; a suspension ending restores a suspended licence unless something
    else (another action in effect, or a suspension until compliant) still holds it."""
    due = [a for a in actions if is_due(a, day)]
    if not due or status not in (S.ACTIVE, S.SUSPENDED):
        return status
    starting = [a for a in due if a.status == ActionStatus.PENDING and action_state(a, day) == EFFECTIVE]
    if any(a.kind == ActionKind.REVOCATION for a in starting):
        return S.REVOKED
    if status == S.ACTIVE and any(a.kind == ActionKind.SUSPENSION for a in starting):
        return S.SUSPENDED
    if status == S.SUSPENDED and any(action_state(a, day) == ENDED for a in due):
        revoked, suspended = claims(actions, day)
        if revoked:
            return S.REVOKED
        if not suspended and not suspended_elsewhere:
            return restored_status(expires_on, day)
    return status


@dataclass(frozen=True)
class _Starting:
    """An action about to take effect on its effective date, as the rule reads one."""

    kind: ActionKind
    effective_date: object
    suspension_to: object = None
    suspension_from: object = None
    status: ActionStatus = ActionStatus.PENDING
    ended_on: object = None
    immediate: bool = True


def status_on_taking_effect(status, expires_on, kind, day, suspension_to=None):
    """The licence's status once an action of `kind` takes effect on `day` (immediate effect):
    what `expected_licence_status` gives for it, so an immediate action moves the licence exactly as
    the daily job moves it for an action taking effect later."""
    action = _Starting(kind=kind, effective_date=day, suspension_from=day, suspension_to=suspension_to)
    return expected_licence_status(status, expires_on, [action], day)


def appeal_target(status, expires_on, actions, day, *, suspended_elsewhere=False):
    """After a court allows or varies an appeal: the status the licence's actions in effect call for.
    Only licences that enforcement holds (suspended or revoked) or that are active move."""
    if status not in (S.ACTIVE, S.SUSPENDED, S.REVOKED):
        return status
    revoked, suspended = claims(actions, day)
    if revoked:
        return S.REVOKED
    if suspended or (suspended_elsewhere and status == S.SUSPENDED):
        return S.SUSPENDED
    return restored_status(expires_on, day)

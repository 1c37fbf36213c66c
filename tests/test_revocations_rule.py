"""The effective-date rule, property-based: random decision and notice dates, immediate or not,
with and without appeals of every outcome, lodged in time or late, and further appeals."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from licensing.revocations import effects
from licensing.revocations.effects import (
    ALLOWED,
    DECISION_STANDS,
    OUTCOMES,
    VARIED,
    AppealFacts,
    appeal_deadline,
    resolve,
    suspension_window,
)
from licensing.revocations.effects import effective_date as hearing_effective_date

D = dt.date
DAY = dt.timedelta(days=1)
dates = st.dates(min_value=D(2010, 1, 1), max_value=D(2035, 12, 31))
SETTINGS = settings(max_examples=400, deadline=None)


@st.composite
def decisions(draw):
    decided = draw(dates)
    notice = decided + dt.timedelta(days=draw(st.integers(0, 14)))
    return decided, notice, draw(st.booleans())


@st.composite
def timely_appeal(draw, decided, notice, outcome=None):
    """An appeal lodged between the decision and the last day of the appeal period."""
    last = appeal_deadline(notice)
    lodged = decided + dt.timedelta(days=draw(st.integers(0, (last - decided).days)))
    if outcome is None:
        return AppealFacts(lodged_on=lodged)
    decided_on = lodged + dt.timedelta(days=draw(st.integers(0, 400)))
    return AppealFacts(lodged_on=lodged, outcome=outcome, decided_on=decided_on)


def ordinary(decided, notice, immediate):
    # s.61(2B): an immediate decision takes effect when notice is given (served), not when decided.
    return notice if immediate else notice + dt.timedelta(days=22)


@SETTINGS
@given(decisions())
def test_without_an_appeal_the_day_is_the_decision_or_the_day_after_the_21_day_period(decision):
    decided, notice, immediate = decision
    effect = resolve(decided, notice, immediate=immediate)
    assert effect.effective_on == ordinary(decided, notice, immediate)
    assert effect.effective_on == hearing_effective_date(decided, notice, immediate=immediate)
    assert not effect.held and effect.cancelled_on is None and effect.varied_on is None
    assert effect.state_on(effect.effective_on - DAY) == effects.PENDING
    assert effect.state_on(effect.effective_on) == effects.EFFECTIVE
    if not immediate:
        assert appeal_deadline(notice) == notice + dt.timedelta(days=21)
        assert effect.state_on(appeal_deadline(notice)) == effects.PENDING


@SETTINGS
@given(st.data(), decisions())
def test_an_appeal_in_time_holds_an_ordinary_action_until_it_is_decided(data, decision):
    decided, notice, immediate = decision
    appeal = data.draw(timely_appeal(decided, notice))
    effect = resolve(decided, notice, immediate=immediate, appeals=[appeal])
    if immediate:  # s.61(2B): the appeal right remains but there is no stay
        assert effect.effective_on == notice and not effect.held
    else:
        assert effect.held and effect.effective_on is None
        for offset in (0, 21, 22, 400):
            assert effect.state_on(decided + dt.timedelta(days=offset)) == effects.PENDING


@SETTINGS
@given(st.data(), decisions(), st.sampled_from(OUTCOMES))
def test_the_outcome_of_an_appeal_in_time_drives_the_action(data, decision, outcome):
    decided, notice, immediate = decision
    appeal = data.draw(timely_appeal(decided, notice, outcome))
    effect = resolve(decided, notice, immediate=immediate, appeals=[appeal])
    assert not effect.held
    if outcome == ALLOWED:
        assert effect.cancelled_on == appeal.decided_on
        assert effect.state_on(appeal.decided_on) == effects.CANCELLED
        assert effect.state_on(appeal.decided_on + dt.timedelta(days=3650)) == effects.CANCELLED
        assert effect.effective_on == (notice if immediate else None)
    elif immediate:
        assert effect.effective_on == notice and effect.cancelled_on is None
    else:
        assert outcome in DECISION_STANDS | {VARIED}
        assert effect.effective_on == appeal.decided_on and effect.cancelled_on is None
        assert effect.state_on(appeal.decided_on - DAY) == effects.PENDING
        assert effect.state_on(appeal.decided_on) == effects.EFFECTIVE
    assert effect.varied_on == (appeal.decided_on if outcome == VARIED else None)


@SETTINGS
@given(st.data(), decisions(), st.one_of(st.none(), st.sampled_from(OUTCOMES)))
def test_a_late_appeal_never_holds_the_action_but_its_outcome_applies(data, decision, outcome):
    decided, notice, immediate = decision
    lodged = appeal_deadline(notice) + dt.timedelta(days=data.draw(st.integers(1, 300)))
    appeal = AppealFacts(lodged_on=lodged, outcome=outcome,
                         decided_on=lodged + dt.timedelta(days=data.draw(st.integers(0, 200))) if outcome else None)
    assert not effects.lodged_in_time(notice, lodged)
    effect = resolve(decided, notice, immediate=immediate, appeals=[appeal])
    assert effect.effective_on == ordinary(decided, notice, immediate) and not effect.held
    assert effect.cancelled_on == (appeal.decided_on if outcome == ALLOWED else None)
    assert effect.varied_on == (appeal.decided_on if outcome == VARIED else None)


@SETTINGS
@given(st.data(), decisions(), st.sampled_from(["dismissed", "varied"]),
       st.one_of(st.none(), st.sampled_from(OUTCOMES)))
def test_a_further_appeal_to_the_crown_court_does_not_hold_but_can_overturn(data, decision, first, second):
    decided, notice, immediate = decision
    appeal = data.draw(timely_appeal(decided, notice, first))
    lodged = appeal.decided_on + dt.timedelta(days=data.draw(st.integers(0, 21)))
    further = AppealFacts(lodged_on=lodged, outcome=second, further=True,
                          decided_on=lodged + dt.timedelta(days=data.draw(st.integers(0, 200))) if second else None)
    effect = resolve(decided, notice, immediate=immediate, appeals=[further, appeal])
    assert effect.effective_on == (notice if immediate else appeal.decided_on)
    assert not effect.held
    assert effect.cancelled_on == (further.decided_on if second == ALLOWED else None)


@SETTINGS
@given(st.data(), decisions(), st.lists(st.sampled_from([None, *OUTCOMES]), max_size=3))
def test_invariants_over_any_appeals(data, decision, outcomes):
    decided, notice, immediate = decision
    appeals = []
    for outcome in outcomes:
        lodged = decided + dt.timedelta(days=data.draw(st.integers(0, 60)))
        appeals.append(AppealFacts(lodged_on=lodged, outcome=outcome,
                                   decided_on=lodged + dt.timedelta(days=data.draw(st.integers(0, 90)))
                                   if outcome else None))
    effect = resolve(decided, notice, immediate=immediate, appeals=appeals)
    # Never in effect before the decision; never both held and in effect; immediate is never held.
    if effect.effective_on is not None:
        assert effect.effective_on >= decided
    assert not (effect.held and effect.effective_on is not None)
    assert not (immediate and effect.held)
    assert effect.effective_on is not None or effect.held or effect.cancelled_on is not None
    # Once cancelled, always cancelled; once in effect, in effect until cancelled.
    states = [effect.state_on(decided + dt.timedelta(days=n)) for n in range(0, 500, 7)]
    if effects.CANCELLED in states:
        assert set(states[states.index(effects.CANCELLED):]) == {effects.CANCELLED}
    if effects.EFFECTIVE in states:
        assert effects.PENDING not in states[states.index(effects.EFFECTIVE):]
    # The order the appeals are given in does not matter.
    assert resolve(decided, notice, immediate=immediate, appeals=list(reversed(appeals))) == effect


@SETTINGS
@given(dates, st.integers(0, 60), st.integers(0, 400))
def test_a_suspension_keeps_its_length_when_it_starts_later(planned_from, length, delay):
    planned_to = planned_from + dt.timedelta(days=length)
    start, end = suspension_window(planned_from + dt.timedelta(days=delay), planned_from, planned_to)
    assert start == planned_from + dt.timedelta(days=delay)
    assert end - start == planned_to - planned_from


def test_examples_from_the_statute():
    # Notice on Monday 2 March 2026: appeal by Monday 23 March; in effect Tuesday 24 March.
    assert appeal_deadline(D(2026, 3, 2)) == D(2026, 3, 23)
    assert resolve(D(2026, 3, 2), D(2026, 3, 2), immediate=False).effective_on == D(2026, 3, 24)
    # Immediate effect under s.61(2B): the decision date, appeal or not.
    held = AppealFacts(lodged_on=D(2026, 3, 10))
    assert resolve(D(2026, 3, 2), D(2026, 3, 2), immediate=True, appeals=[held]).effective_on == D(2026, 3, 2)
    # Lodged on the last day is in time; the day after is late.
    assert resolve(D(2026, 3, 2), D(2026, 3, 2), immediate=False,
                   appeals=[AppealFacts(lodged_on=D(2026, 3, 23))]).held
    assert not resolve(D(2026, 3, 2), D(2026, 3, 2), immediate=False,
                       appeals=[AppealFacts(lodged_on=D(2026, 3, 24))]).held


@SETTINGS
@given(st.data(), decisions(), st.sampled_from(["revocation", "suspension"]),
       st.one_of(st.none(), st.sampled_from(OUTCOMES)), st.integers(0, 90))
def test_the_licence_changes_on_exactly_the_day_the_rule_gives(data, decision, kind, outcome, length):
    """What the daily job applies (state.expected_licence_status) follows the rule to the day."""
    from types import SimpleNamespace

    from licensing.models import ActionKind, ActionStatus, LicenceStatus
    from licensing.revocations import state

    decided, notice, immediate = decision
    appeals = [data.draw(timely_appeal(decided, notice, outcome))] if outcome else []
    effect = resolve(decided, notice, immediate=immediate, appeals=appeals)
    planned_from = ordinary(decided, notice, immediate)
    action = SimpleNamespace(
        kind=ActionKind(kind), status=ActionStatus.CANCELLED if effect.cancelled_on else ActionStatus.PENDING,
        effective_date=effect.effective_on, suspension_from=planned_from if kind == "suspension" else None,
        suspension_to=planned_from + dt.timedelta(days=length) if kind == "suspension" else None, ended_on=None)
    status_on = lambda day: state.expected_licence_status(  # noqa: E731
        LicenceStatus.ACTIVE, None, [action], day)
    if effect.effective_on is None or effect.cancelled_on is not None:
        # Held or cancelled: the job never applies it (an allowed appeal restores the licence itself).
        for offset in (0, 22, 800):
            assert status_on(decided + dt.timedelta(days=offset)) == LicenceStatus.ACTIVE
        return
    day = effect.effective_on
    assert status_on(day - DAY) == LicenceStatus.ACTIVE
    target = LicenceStatus.REVOKED if kind == "revocation" else LicenceStatus.SUSPENDED
    assert status_on(day) == target
    if kind == "suspension":
        last = state.window(action)[1]
        assert last - day == dt.timedelta(days=length)
        assert status_on(last) == LicenceStatus.SUSPENDED
        # The day after the last day, the job (with the licence now suspended) restores it.
        action.status = ActionStatus.EFFECTIVE
        assert state.expected_licence_status(LicenceStatus.SUSPENDED, None, [action], last + DAY) == \
            LicenceStatus.ACTIVE


def test_immediate_effect_moves_the_licence_as_the_daily_job_would():
    """`status_on_taking_effect`: the one rule for the licence status an immediate action gives."""
    from licensing.models import ActionKind, LicenceStatus
    from licensing.revocations.state import status_on_taking_effect

    S, day = LicenceStatus, D(2026, 3, 2)
    cases = [(S.ACTIVE, ActionKind.SUSPENSION, S.SUSPENDED), (S.ACTIVE, ActionKind.REVOCATION, S.REVOKED),
             (S.SUSPENDED, ActionKind.REVOCATION, S.REVOKED), (S.SUSPENDED, ActionKind.SUSPENSION, S.SUSPENDED),
             (S.EXPIRED, ActionKind.REVOCATION, S.EXPIRED), (S.ACTIVE, ActionKind.WARNING, S.ACTIVE)]
    for status, kind, expected in cases:
        assert status_on_taking_effect(status, D(2027, 1, 1), kind, day) == expected, (status, kind)
    assert status_on_taking_effect(S.ACTIVE, None, ActionKind.SUSPENSION, day, suspension_to=day) == S.SUSPENDED

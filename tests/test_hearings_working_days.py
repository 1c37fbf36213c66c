import datetime as dt

from licensing.policy.hearings import policy_on
from licensing.policy.working_days import add_working_days, is_working_day, working_days_between

D = dt.date


def test_christmas_and_boxing_day_substitutes_are_not_working_days():
    # 2021: Christmas Saturday, Boxing Day Sunday -> substitutes Mon 27 and Tue 28 December.
    assert not is_working_day(D(2021, 12, 27))
    assert not is_working_day(D(2021, 12, 28))
    assert is_working_day(D(2021, 12, 29))
    assert add_working_days(D(2021, 12, 24), 1) == D(2021, 12, 29)


def test_across_the_year_end_with_new_year_substitute():
    # 2022: New Year's Day Saturday -> Monday 3 January 2022 is a bank holiday.
    assert not is_working_day(D(2022, 1, 3))
    assert add_working_days(D(2021, 12, 23), 10) == D(2022, 1, 11)
    assert working_days_between(D(2021, 12, 23), D(2022, 1, 11)) == 10


def test_easter_good_friday_and_monday():
    # Easter 2024: Good Friday 29 March, Easter Monday 1 April.
    assert add_working_days(D(2024, 3, 28), 1) == D(2024, 4, 2)
    assert working_days_between(D(2024, 3, 27), D(2024, 4, 3)) == 3


def test_ten_working_days_default_notice_and_backwards_counting():
    assert policy_on(D(2026, 6, 1)).notice_working_days == 10
    assert add_working_days(D(2026, 6, 1), 10) == D(2026, 6, 15)
    assert add_working_days(D(2026, 6, 15), -10) == D(2026, 6, 1)
    assert working_days_between(D(2026, 6, 15), D(2026, 6, 1)) == 0
    # Early May bank holiday 2026 is Monday 4 May.
    assert add_working_days(D(2026, 5, 1), 1) == D(2026, 5, 5)


def test_notice_period_counts_clear_working_days():
    from licensing.hearings.operations import notice_days

    assert policy_on(D(2026, 3, 2)).notice_counting == "clear"
    # Notice on Monday 2 March 2026 for Monday 16 March: 10 working days after the notice day up to and
    # including the hearing day, but only 9 clear days (3 to 13 March).
    assert notice_days(D(2026, 3, 2), D(2026, 3, 16)) == 9
    assert notice_days(D(2026, 3, 2), D(2026, 3, 16), "inclusive") == 10
    assert notice_days(D(2026, 3, 2), D(2026, 3, 17)) == 10

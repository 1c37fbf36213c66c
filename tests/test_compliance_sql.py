"""The daily scan's SQL evaluation of the policy (`due_items_select`) agrees with the Python
evaluation the holder page uses (`population_due_items`), item for item, on both databases."""

import datetime as dt
import random

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from licensing.compliance.evaluate import population_due_items
from licensing.compliance.sql import due_items_select, evidence_expiries
from licensing.extensions import db
from licensing.jobs.scan import DEFAULT_LEAD_DAYS, stage_for, stage_sql
from licensing.models import (
    Booking,
    BookingStatus,
    CheckKind,
    CheckResult,
    ComplianceCheck,
    Course,
    CourseKind,
    HolderKind,
    Licence,
    LicenceHolder,
    LicenceStatus,
    LicenceType,
    TrainingSession,
)
from licensing.policy.requirements import add_months, age_on, birthday
from licensing.sqldates import SqlDates
from tests.support.training_data import write_policy

FUNCTION_FIXTURE = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
DAYS = st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2060, 12, 31))
# Month ends and 29 February, where calendar arithmetic goes wrong if it is going to.
AWKWARD = st.sampled_from([dt.date(2024, 1, 31), dt.date(2024, 2, 29), dt.date(2023, 8, 31), dt.date(2000, 2, 29),
                           dt.date(2023, 12, 31), dt.date(2025, 3, 31), dt.date(1996, 2, 29)])


def _scalar(expression):
    return db.session.scalar(sa.select(sa.type_coerce(expression, sa.Date)))


def _dates():
    return SqlDates(db.session.get_bind().dialect.name)


@settings(max_examples=60, deadline=None, suppress_health_check=FUNCTION_FIXTURE)
@given(day=st.one_of(DAYS, AWKWARD), months=st.integers(min_value=0, max_value=120))
def test_sql_add_months_matches_python(ctx, day, months):
    dates = _dates()
    assert _scalar(dates.add_months(dates.date(day), months)) == add_months(day, months)


@settings(max_examples=60, deadline=None, suppress_health_check=FUNCTION_FIXTURE)
@given(born=st.one_of(DAYS, AWKWARD), age=st.integers(min_value=0, max_value=80), day=st.one_of(DAYS, AWKWARD))
def test_sql_birthdays_and_ages_match_python(ctx, born, age, day):
    dates = _dates()
    assert _scalar(dates.birthday(dates.date(born), age)) == birthday(born, age)
    younger = db.session.scalar(sa.select(sa.case((dates.younger_than(dates.date(born), dates.date(day), age), 1),
                                                  else_=0)))
    assert bool(younger) == (age_on(born, day) < age)


@settings(max_examples=40, deadline=None, suppress_health_check=FUNCTION_FIXTURE)
@given(days_left=st.integers(min_value=-400, max_value=400))
def test_sql_stage_matches_python(ctx, days_left):
    today = dt.date(2026, 6, 1)
    due = today + dt.timedelta(days=days_left)
    stage = db.session.scalar(sa.select(stage_sql(sa.literal(due, sa.Date), today, DEFAULT_LEAD_DAYS)))
    assert stage == stage_for(days_left, DEFAULT_LEAD_DAYS)


def _population(seed, holders=90):
    """A varied population: every licence type and status, missing and future dates, 29 February
    birthdays and ages either side of 45 and 65, checks for holders and for licences, failed and
    future checks, checks with and without expiry, training completions with and without expiry."""
    rng = random.Random(seed)
    courses = []
    for code, satisfies, months in (("SG", "safeguarding_training", 36), ("BTEC", "btec_qualification", None),
                                    ("DA", "disability_awareness", None), ("DA2", "disability_awareness", 24),
                                    ("DVLA", "dvla", None)):
        course = Course(code=f"{code}-{seed}", title=code, kind=CourseKind.REFRESHER, satisfies=satisfies,
                        validity_months=months)
        db.session.add(course)
        db.session.flush()
        session = TrainingSession(course_id=course.id, held_on=dt.date(2015, 1, 1), venue="Hall", capacity=500,
                                  trainer="T")
        db.session.add(session)
        db.session.flush()
        courses.append(session)
    births = [None, dt.date(1960, 2, 29), dt.date(1981, 6, 15), dt.date(1961, 7, 1), dt.date(1976, 12, 31),
              dt.date(1990, 1, 31), dt.date(1955, 3, 1), dt.date(1972, 2, 29)]
    awkward = [dt.date(2024, 1, 31), dt.date(2024, 2, 29), dt.date(2023, 8, 31), dt.date(2016, 2, 29)]

    def some_day(start=dt.date(2013, 1, 1), span=5000):
        return rng.choice(awkward) if rng.random() < 0.15 else start + dt.timedelta(days=rng.randrange(span))

    for n in range(holders):
        holder = LicenceHolder(holder_ref=f"S{seed}-{n}", kind=HolderKind.PERSON, first_name="A", last_name=str(n),
                               date_of_birth=rng.choice(births))
        db.session.add(holder)
        db.session.flush()
        licences = []
        for _ in range(rng.choice([1, 1, 2])):
            issued = None if rng.random() < 0.08 else some_day()
            term = dt.timedelta(days=rng.choice([365, 1095]))
            expires = None if rng.random() < 0.05 else (issued or some_day()) + term
            licence = Licence(
                licence_number=f"S{seed}-{n}-{len(licences)}", holder_id=holder.id,
                licence_type=rng.choice(list(LicenceType)),
                status=rng.choice([LicenceStatus.ACTIVE] * 4 + [LicenceStatus.SUSPENDED, LicenceStatus.EXPIRED,
                                                                LicenceStatus.APPLIED]),
                issued_on=issued, expires_on=expires,
            )
            db.session.add(licence)
            db.session.flush()
            licences.append(licence)
        for _ in range(rng.randrange(0, 9)):
            completed = some_day()
            scope = rng.random()
            db.session.add(ComplianceCheck(
                holder_id=holder.id if scope < 0.8 else None,
                licence_id=rng.choice(licences).id if scope > 0.6 else None,
                kind=rng.choice([CheckKind.DBS_UPDATE_SERVICE, CheckKind.DVLA, CheckKind.MEDICAL_GROUP2,
                                 CheckKind.SAFEGUARDING_TRAINING, CheckKind.INSURANCE, CheckKind.MOT,
                                 CheckKind.CAMERA_CERTIFICATE, CheckKind.DBS_ENHANCED]),
                completed_on=completed,
                expires_on=completed + dt.timedelta(days=rng.randrange(30, 900)) if rng.random() < 0.3 else None,
                result=rng.choice([CheckResult.PASS] * 5 + [CheckResult.CLEAR, CheckResult.FAIL, CheckResult.PENDING]),
            ))
        for session in rng.sample(courses, rng.randrange(0, 3)):
            completed = some_day()
            completed_ok = rng.random() < 0.8
            db.session.add(Booking(
                session_id=session.id, holder_id=holder.id,
                status=BookingStatus.COMPLETED if completed_ok else BookingStatus.BOOKED,
                completed_on=completed if completed_ok else None,
                expires_on=add_months(completed, 36) if completed_ok and rng.random() < 0.5 else None,
                certificate_reference="C1" if completed_ok else None,
            ))
    db.session.flush()


def _python(on_date, holder_ids=None):
    return sorted((i.holder_id, i.licence_id, i.requirement, i.due_on, i.suspend_when_overdue)
                  for i in population_due_items(on_date, holder_ids))


def _sql(on_date, holder_ids=None):
    return sorted((r.holder_id, r.licence_id, r.requirement, r.due_on, bool(r.suspend_when_overdue))
                  for r in db.session.execute(due_items_select(on_date, holder_ids)))


ON_DATES = [dt.date(2015, 8, 1), dt.date(2016, 3, 31), dt.date(2019, 4, 1), dt.date(2024, 2, 29),
            dt.date(2026, 6, 1), dt.date(2031, 1, 31)]


@pytest.mark.parametrize("seed", [1, 2])
def test_sql_and_python_due_items_agree_over_a_varied_population(ctx, seed):
    _population(seed)
    for on_date in ON_DATES:
        python = _python(on_date)
        assert python, on_date
        assert _sql(on_date) == python, on_date
    some = sorted(db.session.scalars(sa.select(LicenceHolder.id)))[::7]
    assert _sql(dt.date(2026, 6, 1), some) == _python(dt.date(2026, 6, 1), some)


def test_sql_reads_only_the_evidence_dates_needed_and_still_agrees(ctx):
    """Where every check of a kind carries an expiry date the scan reads the latest expiry alone,
    and where none does the latest completion alone; the due items are the same."""
    _population(3)
    checks = ComplianceCheck.__table__
    db.session.execute(sa.update(checks).where(checks.c.kind.in_(["insurance", "mot", "dvla"]))
                       .values(expires_on=checks.c.completed_on))
    db.session.execute(sa.update(checks).where(checks.c.kind == "medical_group2").values(expires_on=None))
    db.session.flush()
    expiring = evidence_expiries({"insurance", "mot", "dvla", "medical_group2", "dbs_update_service"})
    assert expiring["insurance"] == expiring["mot"] == (True, False)
    assert expiring["medical_group2"] == (False, True)
    assert expiring["dbs_update_service"] == (True, True)
    assert expiring["dvla"] == (True, True)  # a DVLA course's completions carry none
    for on_date in ON_DATES:
        python = _python(on_date)
        assert python, on_date
        assert _sql(on_date) == python, on_date


def test_sql_and_python_agree_under_another_policy(app, tmp_path):
    """Rules the shipped policy does not use: a refresher with age bands and no date of birth,
    a fixed date, evidence that never expires."""
    rules = {
        "licence_renewal": {"label": "Renewal", "source": "licence"},
        "medical_group2": {"label": "Medical", "source": "check", "refresh_months": 18,
                           "age_bands": [{"below_age": 50, "every_years": 3, "not_after_age": 50},
                                         {"below_age": 70, "next_at_age": 70}],
                           "suspend_when_overdue": True},
        "dvla": {"label": "DVLA", "source": "check", "deadline": {"rule": "fixed_date", "date": "2020-02-29"}},
        "safeguarding_training": {"label": "Safeguarding", "source": "check_or_training",
                                  "deadline": {"rule": "next_renewal"}},
        "disability_awareness": {"label": "Disability", "source": "training",
                                 "deadline": {"rule": "within_days_of_grant", "days": 45}, "refresh_months": 1},
        "btec_qualification": {"label": "BTEC", "source": "training", "suspend_when_overdue": True},
    }
    ongoing = {t.value: ["licence_renewal", "medical_group2", "dvla", "safeguarding_training",
                         "disability_awareness", "btec_qualification"] for t in LicenceType}
    app.config["REQUIREMENTS_FILE"] = str(write_policy(tmp_path, ongoing, rules))
    with app.app_context():
        _population(3, holders=70)
        for on_date in ON_DATES:
            assert _sql(on_date) == _python(on_date), on_date
        db.session.remove()

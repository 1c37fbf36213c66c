"""The conviction-policy engine against the bundled IoL 2018 edition, table-driven. Every case is
stored as conviction rows and read back (on SQLite and PostgreSQL) before it is assessed, so the
columns the engine relies on are the ones the database keeps."""

import datetime as dt
import json
import pathlib

import pytest

from licensing.extensions import db
from licensing.models import Conviction, LicenceHolder, OffenceCategory, OffenceSource
from licensing.policy.convictions import GuidanceError, Offence, add_years, assess, parse_edition, parse_edition_text

DATA = pathlib.Path(__file__).resolve().parents[1] / "licensing" / "policy" / "data"
IOL_2018 = parse_edition(json.loads((DATA / "conviction_guidance.json").read_text()))
EXAMPLE = parse_edition(json.loads((DATA / "conviction_guidance_example_revision.json").read_text()))
CONVICTED, SENTENCE_END, BAN_END = dt.date(2015, 6, 10), dt.date(2016, 6, 10), dt.date(2017, 6, 10)
DAY = dt.timedelta(days=1)

# The guidance as the test reads it: category -> (years, does a driving ban's end count?)
PERIODS = {
    "violence": (10, False), "weapons": (7, False), "dishonesty": (7, False), "drugs_supply": (10, False),
    "drugs_possession": (5, False), "discrimination": (7, False), "hackney_phv": (7, False),
    "vehicle_use": (7, False), "drink_drug_driving": (7, True), "handheld_device": (5, True),
    "major_traffic": (7, True),
}
NEVER = ("death", "exploitation", "sexual")


def row(category, conviction_date=CONVICTED, **kw):
    return {"category": category, "conviction_date": conviction_date, **kw}


def _boundary_cases():
    cases = []
    for category, (years, ban_counts) in PERIODS.items():
        ends = add_years(BAN_END if ban_counts else SENTENCE_END, years)
        # A custodial sentence: never filtered, so the period's end is what decides.
        offence = row(category, sentence_type="custodial", sentence_months=12, sentence_end_date=SENTENCE_END,
                      disqualification_start=CONVICTED, disqualification_end=BAN_END)
        for label, as_at, inside in (("day before", ends - DAY, True), ("on", ends, False),
                                     ("day after", ends + DAY, False)):
            cases.append(pytest.param([offence], as_at, (), [(inside, ends)], id=f"{category}-{label}-end"))
    for category in NEVER:
        cases.append(pytest.param([row(category)], dt.date(2070, 1, 1), (), [(True, None)], id=f"{category}-never"))
    return cases


MINOR = "minor_traffic"
THREE = row(MINOR, penalty_points=3, endorsement_code="SP30")
FOUR_LATER = row(MINOR, dt.date(2016, 1, 10), penalty_points=4, endorsement_code="SP30")
THREE_LATER = row(MINOR, dt.date(2016, 1, 10), penalty_points=3, endorsement_code="SP30")
FIRST_ENDS = add_years(CONVICTED, 5)  # 10 June 2020: the 7-point total drops to 4

TABLE = [
    *_boundary_cases(),
    # Minor traffic counts only at 7 or more points inside the 5-year periods.
    pytest.param([THREE, THREE_LATER], dt.date(2017, 1, 1), (), [(False, FIRST_ENDS), (False, None)], id="6-points"),
    pytest.param([THREE, FOUR_LATER], dt.date(2017, 1, 1), (), [(True, FIRST_ENDS), (True, FIRST_ENDS)],
                 id="7-points"),
    pytest.param([THREE, FOUR_LATER], FIRST_ENDS - DAY, (), [(True, FIRST_ENDS), (True, FIRST_ENDS)],
                 id="7-points-day-before-total-drops"),
    pytest.param([THREE, FOUR_LATER], FIRST_ENDS, (), [(False, FIRST_ENDS), (False, None)],
                 id="7-points-on-the-day-total-drops"),
    pytest.param([row(MINOR, dt.date(2009, 1, 1), penalty_points=4), THREE_LATER], dt.date(2017, 1, 1), (),
                 [(False, None), (False, None)], id="old-points-outside-the-window"),
    pytest.param([row(MINOR, penalty_points=6)], dt.date(2016, 1, 1), (), [(False, None)], id="single-6-points"),
    # Periods from the later date: a ban ending after the sentence, or a sentence ending after the ban.
    pytest.param([row("drink_drug_driving", sentence_end_date=dt.date(2018, 6, 10), disqualification_start=CONVICTED,
                      disqualification_end=BAN_END)], dt.date(2025, 6, 9), (), [(True, dt.date(2025, 6, 10))],
                 id="sentence-later-than-ban"),
    pytest.param([row("drink_drug_driving", disqualification_start=CONVICTED,
                      disqualification_end=dt.date(2018, 6, 10))],
                 dt.date(2025, 6, 9), (), [(True, dt.date(2025, 6, 10))], id="fine-and-ban-from-ban-end"),
    pytest.param([row("dishonesty")], dt.date(2022, 6, 9), (), [(True, dt.date(2022, 6, 10))],
                 id="fine-from-conviction"),
    # Youth and adult, and protected (filtered) items, which are never assessed.
    pytest.param([row("dishonesty", youth=True)], dt.date(2020, 12, 9), (), [(True, dt.date(2022, 6, 10))],
                 id="youth-conviction-day-before-5.5-years"),
    pytest.param([row("dishonesty", youth=True)], dt.date(2020, 12, 10), (), [], id="youth-conviction-protected"),
    pytest.param([row("dishonesty")], dt.date(2020, 12, 10), (), [(True, dt.date(2022, 6, 10))], id="adult-not-yet"),
    pytest.param([row("dishonesty", youth=True, sentence_type="custodial", sentence_months=4)], dt.date(2020, 12, 10),
                 (), [(True, dt.date(2022, 6, 10))], id="youth-custodial-never-protected"),
    pytest.param([row("dishonesty", disposal="caution")], dt.date(2021, 6, 9), (), [(True, dt.date(2022, 6, 10))],
                 id="adult-caution-day-before-6-years"),
    pytest.param([row("dishonesty", disposal="caution")], dt.date(2021, 6, 10), (), [], id="adult-caution-protected"),
    pytest.param([row("dishonesty", disposal="youth_caution", youth=True)], dt.date(2017, 6, 9), (),
                 [(True, dt.date(2022, 6, 10))], id="youth-caution-day-before-2-years-2013-rules"),
    pytest.param([row("dishonesty", disposal="youth_caution", youth=True)], dt.date(2017, 6, 10), (), [],
                 id="youth-caution-protected-2013-rules"),
    pytest.param([row("violence", dt.date(2020, 1, 1), disposal="youth_caution", youth=True)], dt.date(2021, 1, 1),
                 (), [], id="youth-caution-protected-from-2020"),
    pytest.param([row("sexual", youth=True, disposal="youth_caution")], dt.date(2017, 6, 10), (), [(True, None)],
                 id="listed-category-never-protected"),
    pytest.param([row("violence", youth=True, listed_offence=True)], dt.date(2021, 1, 1), (),
                 [(True, dt.date(2025, 6, 10))], id="listed-offence-never-protected"),
    pytest.param([row("dishonesty", dt.date(2012, 1, 1), youth=True), row("violence", dt.date(2013, 1, 1))],
                 dt.date(2018, 12, 31), (), [(True, dt.date(2019, 1, 1)), (True, dt.date(2023, 1, 1))],
                 id="2013-rules-two-convictions-never-protected"),
    pytest.param([row("dishonesty", dt.date(2012, 1, 1), youth=True)], dt.date(2018, 12, 31), (), [],
                 id="2013-rules-one-conviction-protected"),
    pytest.param([row("sexual", protected_override=True, protected_reason="DBS certificate: filtered")],
                 dt.date(2020, 1, 1), (), [], id="officer-records-protected"),
    pytest.param([row("dishonesty", disposal="caution", protected_override=False, protected_reason="Not filtered")],
                 dt.date(2021, 6, 10), (), [(True, dt.date(2022, 6, 10))], id="officer-records-not-protected"),
    pytest.param([row(MINOR, disposal="fixed_penalty", penalty_points=3), FOUR_LATER], dt.date(2017, 1, 1), (),
                 [(True, FIRST_ENDS), (True, FIRST_ENDS)], id="fixed-penalty-points-count"),
    # Rule sets per licence type: operators are not held to the motoring categories.
    pytest.param([row("drink_drug_driving")], dt.date(2018, 1, 1), ("private_hire_operator",), [], id="operator"),
    pytest.param([row("drink_drug_driving")], dt.date(2018, 1, 1), ("private_hire_vehicle",),
                 [(True, dt.date(2022, 6, 10))], id="vehicle-proprietor"),
    pytest.param([row("drink_drug_driving")], dt.date(2018, 1, 1), ("private_hire_operator", "private_hire_driver"),
                 [(True, dt.date(2022, 6, 10))], id="operator-who-also-drives"),
    pytest.param([row("dishonesty")], dt.date(2018, 1, 1), ("private_hire_operator",),
                 [(True, dt.date(2022, 6, 10))], id="operator-dishonesty"),
    # No repeat formula in the guidance: two offences keep their single-offence periods.
    pytest.param([row("dishonesty"), row("dishonesty", dt.date(2016, 1, 1))], dt.date(2022, 6, 10), (),
                 [(False, dt.date(2022, 6, 10)), (True, dt.date(2023, 1, 1))], id="no-repeat-extension"),
    pytest.param([row("sexual", dt.date(2030, 1, 1))], dt.date(2024, 1, 1), (), [], id="later-offence-ignored"),
]


def _stored(rows):
    """Store the rows as convictions of a new holder and read them back from the database."""
    holder = LicenceHolder(holder_ref="T1", first_name="Pat", last_name="Driver", address="1 High Street",
                           postcode="AB1 2CD")
    db.session.add(holder)
    db.session.flush()
    for values in rows:
        db.session.add(Conviction(holder_id=holder.id, offence="Offence", source=OffenceSource.DBS,
                                  **{"disposal": "conviction", **values}))
    db.session.flush()
    db.session.expire_all()
    return db.session.query(Conviction).filter_by(holder_id=holder.id).order_by(Conviction.id).all()


@pytest.mark.parametrize(("rows", "as_at", "licence_types", "expected"), TABLE)
def test_bundled_edition(ctx, rows, as_at, licence_types, expected):
    result = assess(_stored(rows), as_at, IOL_2018, licence_types)
    got = [(f.inside, f.until) for f in result.findings]
    assert len(got) == len(expected), result.explanation
    for (inside, until), (want_inside, want_until) in zip(got, expected, strict=True):
        assert inside == want_inside, result.explanation
        if want_until is not None:
            assert until == want_until, result.explanation
    assert result.at_risk == any(inside for inside, _ in expected)
    assert len(result.explanation) == len(result.notes) + len(result.findings)


def test_the_table_covers_every_category():
    assert set(PERIODS) | set(NEVER) | {MINOR} == {c.value for c in OffenceCategory}
    assert set(IOL_2018.categories) == {c.value for c in OffenceCategory}
    assert IOL_2018.repeat_extension_years == 0  # the +2 rule is not the Institute's


def test_each_line_says_which_offence_which_period_from_which_date_until_when(ctx):
    rows = _stored([row("drink_drug_driving", endorsement_code="DR10", penalty_points=3,
                        sentence_end_date=SENTENCE_END, disqualification_start=CONVICTED,
                        disqualification_end=BAN_END)])
    line = assess(rows, dt.date(2020, 1, 1), IOL_2018, ["private_hire_driver"]).explanation[1]
    assert line == ("Drink or drug driving (conviction of 10 June 2015, DR10, 3 points): 7-year period from the "
                    "later of conviction (10 June 2015), end of sentence (10 June 2016) and end of disqualification "
                    "(10 June 2017), so from 10 June 2017 until 10 June 2024: inside the period.")


def test_points_lines_give_the_total_and_the_threshold():
    result = assess([Offence(MINOR, "conviction", CONVICTED, penalty_points=3),
                     Offence(MINOR, "conviction", dt.date(2016, 1, 10), penalty_points=3)],
                    dt.date(2017, 1, 1), IOL_2018)
    assert sum("6 points from these offences inside their periods on 1 January 2017, below the threshold of 7: "
               "not counted." in line for line in result.explanation) == 2
    assert not result.at_risk and "no conviction or caution falls inside" in result.reason


def test_operator_lines_say_what_was_left_out_and_why():
    result = assess([Offence("major_traffic", "conviction", CONVICTED)], dt.date(2016, 1, 1), IOL_2018,
                    ["private_hire_operator"])
    assert result.findings == () and not result.at_risk
    assert "not assessed, as the guidance leaves this category out for private hire operator licences" in \
        result.explanation[1]


def test_several_offences_are_left_to_judgement_in_the_bundled_edition():
    offences = [Offence("dishonesty", "conviction", CONVICTED),
                Offence("dishonesty", "conviction", dt.date(2016, 1, 1))]
    result = assess(offences, dt.date(2020, 1, 1), IOL_2018)
    assert [f.period_years for f in result.findings] == [7, 7]
    assert any("gives no formula; this is for the officer's judgement" in line for line in result.explanation)


def test_the_example_revision_loads_without_code_and_changes_the_answer():
    offences = [Offence("dishonesty", "conviction", CONVICTED),
                Offence("dishonesty", "conviction", dt.date(2016, 1, 1))]
    result = assess(offences, dt.date(2026, 1, 1), EXAMPLE)
    # 10 years for dishonesty plus the council's local 2 years for the one other offence.
    assert [f.until for f in result.findings] == [dt.date(2027, 6, 10), dt.date(2028, 1, 1)]
    assert any(line.startswith("Local rule of the council, not the guidance") for line in result.explanation)
    assert "plus 2 by the local rule" in result.findings[0].explanation
    six = [Offence(MINOR, "conviction", CONVICTED, penalty_points=3),
           Offence(MINOR, "conviction", dt.date(2016, 1, 10), penalty_points=3)]
    assert assess(six, dt.date(2017, 1, 1), EXAMPLE).at_risk and not assess(six, dt.date(2017, 1, 1), IOL_2018).at_risk


def test_editions_stored_in_the_older_form_still_read():
    raw = json.loads((DATA / "conviction_guidance.json").read_text())
    raw.pop("local_rules")
    raw["repeat_extension_years"] = 2
    raw["categories"]["dishonesty"] = {"years": 7, "counted_from": "sentence_end"}
    old = parse_edition(raw)
    assert old.repeat_extension_years == 2
    assert old.categories["dishonesty"].counted_from == ("conviction", "sentence_end")


def test_severity_ranks_never_first_then_time_left():
    as_at = dt.date(2020, 1, 1)
    never = assess([Offence("sexual", "conviction", dt.date(1990, 1, 1), listed_offence=True)], as_at, IOL_2018)
    long_left = assess([Offence("violence", "conviction", dt.date(2019, 1, 1))], as_at, IOL_2018)
    short_left = assess([Offence("dishonesty", "conviction", dt.date(2013, 6, 1))], as_at, IOL_2018)
    assert never.severity > long_left.severity > short_left.severity > 0


def test_leap_day_periods_end_on_28_february():
    result = assess([Offence("dishonesty", "conviction", dt.date(2016, 2, 29))], dt.date(2023, 2, 27), IOL_2018)
    assert result.findings[0].until == dt.date(2023, 2, 28) and result.at_risk


@pytest.mark.parametrize(("text", "message"), [
    ("not json", "not valid JSON"),
    ("[]", "one edition"),
    (json.dumps({"edition": "x", "title": "t", "effective_from": "2020-01-01", "categories": {}}), "no rule for"),
    (json.dumps({"edition": "x", "title": "t", "effective_from": "2020-01-01",
                 "categories": {"nonsense": {"years": 1}}}), "Unknown offence category"),
    (json.dumps({"edition": "x", "title": "t", "effective_from": "soon", "categories": {
        c.value: {"never": True} for c in OffenceCategory}}), "not a valid edition"),
    (json.dumps({"edition": "x", "title": "t", "effective_from": "2020-01-01", "categories": {
        c.value: {"years": 1, "counted_from": ["arrest"]} for c in OffenceCategory}}), "counted_from"),
    (json.dumps({"edition": "x", "title": "t", "effective_from": "2020-01-01",
                 "excluded_by_licence_type": {"rickshaw": ["violence"]},
                 "categories": {c.value: {"never": True} for c in OffenceCategory}}), "unknown licence type"),
])
def test_unusable_edition_files_are_refused(text, message):
    with pytest.raises(GuidanceError, match=message):
        parse_edition_text(text)

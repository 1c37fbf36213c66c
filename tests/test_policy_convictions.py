"""The conviction-policy engine, table-driven against the 2018 edition and a changed edition."""

import datetime as dt
import json
import pathlib

import pytest

from licensing.models import OffenceCategory
from licensing.policy.convictions import GuidanceError, Offence, assess, parse_edition, parse_edition_text

DATA = pathlib.Path(__file__).resolve().parents[1] / "licensing" / "policy" / "data" / "conviction_guidance.json"
IOL_2018 = parse_edition(json.loads(DATA.read_text()))
CONVICTED = dt.date(2015, 6, 10)
SENTENCE_END = dt.date(2016, 6, 10)

# category, years (None = never), counted from sentence end?
TABLE = [
    ("death", None, True), ("exploitation", None, True), ("sexual", None, True),
    ("violence", 10, True), ("weapons", 7, True), ("dishonesty", 7, True), ("drugs_supply", 10, True),
    ("drugs_possession", 5, True), ("discrimination", 7, True), ("drink_drug_driving", 7, True),
    ("handheld_device", 5, True), ("minor_traffic", 5, False), ("major_traffic", 7, True),
    ("hackney_phv", 7, True), ("vehicle_use", 7, True),
]


def test_the_table_covers_every_category():
    assert {row[0] for row in TABLE} == {c.value for c in OffenceCategory}
    assert set(IOL_2018.categories) == {c.value for c in OffenceCategory}


def _one(category, as_at, disposal="conviction", sentence_end=SENTENCE_END):
    result = assess([Offence(category, disposal, CONVICTED, sentence_end, "x")], as_at, IOL_2018)
    return result, result.findings[0]


@pytest.mark.parametrize(("category", "years", "from_sentence"), TABLE)
def test_period_boundaries_for_every_category(category, years, from_sentence):
    if years is None:
        result, finding = _one(category, dt.date(2070, 1, 1))
        assert finding.never and finding.inside and finding.until is None
        assert result.at_risk and result.severity >= 1000
        assert "should not be held at any time" in result.reason
        return
    start = SENTENCE_END if from_sentence else CONVICTED
    ends = start.replace(year=start.year + years)
    result, finding = _one(category, ends - dt.timedelta(days=1))
    assert finding.inside and finding.until == ends and result.at_risk
    assert f"until {ends.day} {ends:%B %Y}" in result.reason
    result, finding = _one(category, ends)
    assert not finding.inside and not result.at_risk
    assert "no conviction or caution falls inside" in result.reason


@pytest.mark.parametrize(("category", "years", "from_sentence"), [r for r in TABLE if r[1]])
def test_cautions_are_treated_like_convictions(category, years, from_sentence):
    conviction = _one(category, dt.date(2020, 1, 1))[1]
    caution = _one(category, dt.date(2020, 1, 1), disposal="caution")[1]
    assert (caution.inside, caution.until) == (conviction.inside, conviction.until)
    assert "caution of 10 June 2015" in caution.sentence()


def test_without_a_sentence_end_the_period_runs_from_conviction():
    finding = _one("dishonesty", dt.date(2022, 6, 9), sentence_end=None)[1]
    assert finding.until == dt.date(2022, 6, 10) and finding.inside
    assert not _one("dishonesty", dt.date(2022, 6, 10), sentence_end=None)[1].inside


def test_several_offences_in_a_category_extend_every_period_in_it():
    offences = [Offence("dishonesty", "conviction", dt.date(2010, 1, 5)),
                Offence("dishonesty", "caution", dt.date(2012, 3, 1)),
                Offence("violence", "conviction", dt.date(2001, 1, 1))]
    result = assess(offences, dt.date(2020, 1, 1), IOL_2018)
    by_date = {f.offence.conviction_date: f for f in result.findings}
    # 7 years + 2 for the one other dishonesty offence = 9 years.
    assert by_date[dt.date(2010, 1, 5)].until == dt.date(2019, 1, 5)
    assert not by_date[dt.date(2010, 1, 5)].inside
    assert by_date[dt.date(2012, 3, 1)].until == dt.date(2021, 3, 1)
    assert by_date[dt.date(2012, 3, 1)].inside
    assert by_date[dt.date(2001, 1, 1)].period_years == 10  # a single offence in its category
    assert result.at_risk and "1 offence falls inside" in result.reason


def test_offences_after_the_assessment_date_are_ignored():
    result = assess([Offence("sexual", "conviction", dt.date(2025, 1, 1))], dt.date(2024, 1, 1), IOL_2018)
    assert result.findings == () and not result.at_risk


def test_a_new_edition_changes_the_answer():
    raw = json.loads(DATA.read_text())
    raw.update(edition="iol-2024", effective_from="2026-03-01")
    raw["categories"]["dishonesty"] = {"years": 10, "counted_from": "conviction"}
    edition_2024 = parse_edition(raw)
    offence = [Offence("dishonesty", "conviction", dt.date(2017, 5, 1), dt.date(2017, 5, 1))]
    as_at = dt.date(2026, 6, 1)
    old, new = assess(offence, as_at, IOL_2018), assess(offence, as_at, edition_2024)
    assert not old.at_risk and "iol-2018" in old.reason
    assert new.at_risk and new.findings[0].until == dt.date(2027, 5, 1) and "iol-2024" in new.reason


def test_severity_ranks_never_first_then_time_left():
    as_at = dt.date(2020, 1, 1)
    never = assess([Offence("sexual", "conviction", dt.date(1990, 1, 1))], as_at, IOL_2018)
    long_left = assess([Offence("violence", "conviction", dt.date(2019, 1, 1))], as_at, IOL_2018)
    short_left = assess([Offence("dishonesty", "conviction", dt.date(2013, 6, 1))], as_at, IOL_2018)
    assert never.severity > long_left.severity > short_left.severity > 0


def test_leap_day_periods_end_on_28_february():
    result = assess([Offence("minor_traffic", "conviction", dt.date(2016, 2, 29))], dt.date(2021, 2, 27), IOL_2018)
    assert result.findings[0].until == dt.date(2021, 2, 28) and result.at_risk


@pytest.mark.parametrize(("text", "message"), [
    ("not json", "not valid JSON"),
    ("[]", "one edition"),
    (json.dumps({"edition": "x", "title": "t", "effective_from": "2020-01-01", "categories": {}}), "no rule for"),
    (json.dumps({"edition": "x", "title": "t", "effective_from": "2020-01-01",
                 "categories": {"nonsense": {"years": 1}}}), "Unknown offence category"),
    (json.dumps({"edition": "x", "title": "t", "effective_from": "soon", "categories": {
        c.value: {"never": True} for c in OffenceCategory}}), "not a valid edition"),
])
def test_unusable_edition_files_are_refused(text, message):
    with pytest.raises(GuidanceError, match=message):
        parse_edition_text(text)

"""Convictions and endorsements as recorded: the form, the import and the DVLA check refuse the same
bad input (one shared check), the import names bad rows by line, protected items stay out of a panel
bundle and assessments keep their explanation."""

import datetime as dt

import pytest
import sqlalchemy as sa

from licensing.demo.council import build_demo_council, ensure_demo_users
from licensing.extensions import db
from licensing.imports.commands import IMPORTERS
from licensing.imports.engine import run_import
from licensing.models import AuditEvent, Conviction, ConvictionAssessment, Licence, LicenceHolder
from licensing.policy.conviction_record import check_conviction
from licensing.policy.filtering import unprotected
from licensing.reviews.operations import cases as review_ops
from licensing.reviews.operations import guidance as policy
from tests.conftest import login
from tests.support import register
from tests.support import reviews as build
from tests.support.database import count_rows
from tests.support.register import date_parts, field_error

BORN = dt.date(1980, 5, 17)
GOOD = {"category": "minor_traffic", "offence": "Speeding", "offence_date": dt.date(2019, 1, 1),
        "conviction_date": dt.date(2019, 3, 1), "source": "dvla", "disposal": "conviction",
        "endorsement_code": "SP30", "penalty_points": 3}
DRINK = {**GOOD, "category": "drink_drug_driving", "offence": "Driving with excess alcohol", "endorsement_code": "DR10",
         "penalty_points": None, "disqualification_start": dt.date(2019, 3, 1),
         "disqualification_end": dt.date(2020, 3, 1)}
COLUMNS = ("holder_ref", "category", "offence", "offence_date", "conviction_date", "sentence_end_date", "source",
           "disposal", "endorsement_code", "penalty_points", "sentence_type", "sentence_months",
           "disqualification_start", "disqualification_end", "youth", "protected", "protected_reason")

# Bad input, the field the form shows the refusal at, and the message (the import adds the column).
BAD = [
    ({"endorsement_code": "ZZ99"}, "endorsement_code",
     "Enter a DVLA endorsement code from the council's table, for example SP30"),
    ({"category": "dishonesty"}, "endorsement_code",
     "SP30 is in the category “Minor traffic offences”, not “Dishonesty”"),
    ({"penalty_points": 9}, "penalty_points", "SP30 carries 3 to 6 penalty points"),
    ({"category": "dishonesty", "endorsement_code": "", "penalty_points": 3}, "penalty_points",
     "Penalty points are endorsed only for motoring offences"),
    ({**DRINK, "disqualification_end": dt.date(2019, 2, 1)}, "disqualification_end",
     "The disqualification cannot end before it starts"),
    ({**DRINK, "disqualification_start": None}, "disqualification_start", "Enter when the disqualification started"),
    ({"disposal": "caution", "endorsement_code": "", "penalty_points": None, "sentence_type": "fine"},
     "sentence_type", "A caution has no sentence or disqualification"),
    ({"sentence_type": "custodial"}, "sentence_months", "Enter the length of the sentence in months"),
    ({"youth": True}, "youth", "The holder was 38 on the offence date, so this is not a youth matter"),
    ({"protected": "yes"}, "protected_reason", "Give the reason for recording whether this is protected"),
]


def _form(values):
    data = {}
    for key, value in values.items():
        if isinstance(value, dt.date):
            data[key] = date_parts(value)
        elif key == "protected":
            data["protected_override"] = value
        elif isinstance(value, bool):
            if value:
                data[key] = "y"
        elif value is not None:
            data[key] = str(value)
    return data


def _csv(ref, *rows):
    lines = [",".join(COLUMNS)]
    for values in rows:
        cells = {**values, "holder_ref": ref}
        lines.append(",".join("yes" if cells.get(c) is True else "" if cells.get(c) in (None, False)
                              else cells[c].isoformat() if isinstance(cells[c], dt.date) else str(cells[c])
                              for c in COLUMNS))
    return "\n".join(lines) + "\n"


def _import(tmp_path, text, today=dt.date(2026, 6, 1)):
    path = tmp_path / "convictions.csv"
    path.write_text(text, encoding="utf-8")
    result = run_import(IMPORTERS["convictions"](today=today), str(path))
    db.session.commit() if result.ok else db.session.rollback()
    return result


def operator_licences(holder):
    return db.session.execute(sa.select(Licence).filter_by(holder_id=holder.id)).scalars().all()


def _holder(app, users):
    with app.app_context():
        holder = register.person(register.user(users["officer"]), born=BORN)
        db.session.commit()
        return holder.id, holder.holder_ref


@pytest.mark.parametrize(("change", "field", "message"), BAD)
def test_form_and_import_refuse_the_same_input(app, client, users, tmp_path, change, field, message):
    holder_id, ref = _holder(app, users)
    login(client, users["officer"])
    page = client.post(f"/holders/{holder_id}/convictions/new", data=_form({**GOOD, **change}))
    assert field_error(page.get_data(as_text=True), field if field != "protected" else "protected_override") == message
    with app.app_context():
        result = _import(tmp_path, _csv(ref, GOOD, {**GOOD, "offence": "Second", **change}))
        column = "protected" if field == "protected_override" else field
        assert result.errors == [(3, f"{column}: {message}")]
        assert count_rows(Conviction) == 0


def test_the_form_records_points_codes_and_a_ban(app, client, users):
    holder_id, _ = _holder(app, users)
    login(client, users["officer"])
    response = client.post(f"/holders/{holder_id}/convictions/new",
                           data=_form({**DRINK, "category": "", "sentence_type": "fine"}))
    assert response.status_code == 302
    with app.app_context():
        row = db.session.execute(sa.select(Conviction)).scalar_one()
        assert (row.category.value, row.endorsement_code, row.disqualification_end, row.sentence_type.value) == (
            "drink_drug_driving", "DR10", dt.date(2020, 3, 1), "fine")
        assert row.youth is False and row.protected_override is None
        event = db.session.execute(sa.select(AuditEvent).filter_by(action="conviction.record")).scalar_one()
        assert event.after["endorsement_code"] == "DR10"


def test_the_import_accepts_points_codes_and_bans_and_names_bad_rows_by_line(ctx, users, tmp_path):
    holder = register.person(register.user(users["officer"]), born=dt.date(2003, 1, 1))
    db.session.commit()
    youth = {**GOOD, "category": "dishonesty", "endorsement_code": "", "penalty_points": None, "offence": "Theft",
             "offence_date": dt.date(2019, 1, 1), "disposal": "youth_caution"}
    bad = _csv(holder.holder_ref, GOOD, {**GOOD, "offence": "Again", "penalty_points": 12}, DRINK,
               {**DRINK, "offence": "Later", "disqualification_start": None})
    result = _import(tmp_path, bad)
    assert result.errors == [(3, "penalty_points: SP30 carries 3 to 6 penalty points"),
                             (5, "disqualification_start: Enter when the disqualification started")]
    assert count_rows(Conviction) == 0  # all or nothing
    result = _import(tmp_path, _csv(holder.holder_ref, GOOD, {**DRINK, "category": ""}, youth))
    assert result.ok and result.created == 3, result.errors
    rows = {r.offence: r for r in db.session.execute(sa.select(Conviction)).scalars()}
    assert (rows["Speeding"].penalty_points, rows["Speeding"].endorsement_code) == (3, "SP30")
    drink = rows["Driving with excess alcohol"]
    assert drink.category.value == "drink_drug_driving" and drink.disqualification_start == dt.date(2019, 3, 1)
    assert rows["Theft"].youth is True  # 16 on the offence date, from the date of birth


def test_a_dvla_check_records_its_endorsement_as_a_conviction(app, client, users):
    holder_id, _ = _holder(app, users)
    login(client, users["officer"])
    base = {"kind": "dvla", "licence_id": "", "result": "pass", "completed_on": date_parts(dt.date(2026, 1, 5)),
            "points": "3", "endorsement_code": "cu80", "endorsement_offence": "Using a hand-held phone",
            "endorsement_offence_date": date_parts(dt.date(2025, 6, 1)),
            "endorsement_conviction_date": date_parts(dt.date(2025, 8, 1))}
    page = client.post(f"/holders/{holder_id}/checks/new", data={**base, "endorsement_penalty_points": "9"})
    assert field_error(page.get_data(as_text=True), "endorsement_penalty_points") == \
        "CU80 carries 3 to 6 penalty points"
    page = client.post(f"/holders/{holder_id}/checks/new", data={**base, "endorsement_code": "XX11"})
    assert field_error(page.get_data(as_text=True), "endorsement_code") == \
        "Enter a DVLA endorsement code from the council's table, for example SP30"
    assert client.post(f"/holders/{holder_id}/checks/new",
                       data={**base, "endorsement_penalty_points": "6"}).status_code == 302
    with app.app_context():
        row = db.session.execute(sa.select(Conviction)).scalar_one()
        assert (row.category.value, row.source.value, row.penalty_points, row.endorsement_code) == (
            "handheld_device", "dvla", 6, "CU80")


def test_protected_items_stay_out_of_a_bundle(ctx):
    person = build.holder("B1")
    kept = build.conviction(person, "sexual", dt.date(2001, 1, 1), disposal="youth_caution")
    caution = build.conviction(person, "dishonesty", dt.date(2015, 1, 1), disposal="caution")
    assert unprotected([kept, caution], dt.date(2020, 12, 31)) == [kept, caution]
    assert unprotected([kept, caution], dt.date(2021, 1, 1)) == [kept]  # six years on, the caution is protected
    caution.protected_override, caution.protected_reason = False, "Recorded on the DBS certificate"
    assert unprotected([kept, caution], dt.date(2021, 1, 1)) == [kept, caution]


def test_an_assessment_keeps_its_explanation(officer):
    policy.ensure_bundled_edition()
    person = build.holder("E1")
    build.conviction(person, "violence", dt.date(2019, 3, 1), dt.date(2020, 3, 1))
    db.session.flush()
    campaign = policy.run_campaign(officer, "Review", dt.date(2026, 1, 1))
    stored = db.session.execute(sa.select(ConvictionAssessment).filter_by(campaign_id=campaign.id)).scalar_one()
    assert stored.explanation[0].startswith("Guidance edition iol-2018")
    assert "10-year period from the later of conviction (1 March 2019) and end of sentence (1 March 2020)" in \
        stored.explanation[1]


def test_the_demo_council_records_convictions_as_the_form_would(ctx):
    ensure_demo_users()
    build_demo_council(people=300, operators=6, vehicle_share=0.5, seed=5, today=dt.date(2026, 11, 22))
    rows = db.session.execute(sa.select(Conviction, LicenceHolder.date_of_birth)
                              .join(LicenceHolder, LicenceHolder.id == Conviction.holder_id)).all()
    assert len(rows) > 50
    for conviction, born in rows:
        values = {c.name: getattr(conviction, c.name) for c in Conviction.__table__.columns}
        _, problems = check_conviction(values, today=dt.date(2026, 11, 22), date_of_birth=born)
        assert problems == [], (conviction.offence, problems)
    motoring = [c for c, _ in rows if c.category.is_motoring and c.disposal.value == "conviction"]
    assert any(c.penalty_points for c in motoring)
    drink = [c for c, _ in rows if c.category.value == "drink_drug_driving"]
    assert drink and all(c.disqualification_end and c.penalty_points is None for c in drink)


def test_a_council_adopts_the_example_revision_as_data(officer):
    policy.ensure_bundled_edition()
    text = (policy.BUNDLED_EDITION.parent / "conviction_guidance_example_revision.json").read_text()
    policy.load_edition(officer, text)
    assert policy.edition_in_force(dt.date(2025, 3, 31)).edition == "iol-2018"
    row = policy.edition_in_force(dt.date(2025, 4, 1))
    edition = policy.engine_edition(row)
    assert row.edition == "example-2025-local" and edition.repeat_extension_years == 2
    assert edition.categories["minor_traffic"].points_threshold == 6
    assert edition.excluded_for(["private_hire_operator"]) >= {"drink_drug_driving", "minor_traffic"}
    assert policy.engine_edition(policy.edition_in_force(dt.date(2024, 1, 1))).repeat_extension_years == 0


def test_an_older_file_without_the_new_columns_leaves_them_alone(ctx, users, tmp_path):
    holder = register.person(register.user(users["officer"]), born=BORN)
    db.session.commit()
    assert _import(tmp_path, _csv(holder.holder_ref, {**GOOD, "sentence_end_date": dt.date(2019, 6, 1)})).ok
    old_format = ("holder_ref,category,offence,offence_date,conviction_date,sentence_end_date,source\n"
                  f"{holder.holder_ref},minor_traffic,Speeding,2019-01-01,2019-03-01,2019-09-01,dvla\n")
    result = _import(tmp_path, old_format)
    assert result.ok and result.updated == 1, result.errors
    row = db.session.execute(sa.select(Conviction)).scalar_one()
    assert (row.sentence_end_date, row.penalty_points, row.endorsement_code) == (dt.date(2019, 9, 1), 3, "SP30")


def test_the_case_page_explains_an_operators_assessment_line_by_line(app, client, users):
    with app.app_context():
        officer = register.user(users["officer"])
        policy.ensure_bundled_edition(officer)
        operator = build.holder("OP1", licence_type="private_hire_operator")
        build.conviction(operator, "drink_drug_driving", dt.date(2021, 1, 1))
        build.conviction(operator, "dishonesty", dt.date(2022, 1, 1), dt.date(2022, 7, 1))
        case = review_ops.open_case(officer, operator, "audit", "Renewal", licences=operator_licences(operator))
        db.session.commit()
        case_id = case.id
    login(client, users["officer"])
    response = client.post(f"/reviews/cases/{case_id}/assess", data={"as_at": date_parts(dt.date(2026, 1, 1))})
    assert response.status_code == 302
    page = client.get(f"/reviews/cases/{case_id}").get_data(as_text=True)
    assert "How the guidance was applied, line by line" in page
    assert "for private hire operator licences." in page
    assert "not assessed, as the guidance leaves this category out for private hire operator licences" in page
    assert "7-year period from the later of conviction (1 January 2022) and end of sentence (1 July 2022), " \
           "so from 1 July 2022 until 1 July 2029: inside the period." in page

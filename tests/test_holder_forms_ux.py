"""UX review findings 13, 15, 16 and 24 on the register's forms: a short refusal pointing at the
decision page's list, a person's minimum age and the register's references for new holders, the
person and organisation fields revealed by kind, the check form built for its kind, and the
compliance section's reasons linked to where they are put right."""

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from licensing.extensions import db
from licensing.holders.errors import NotReadyError, RegisterError
from licensing.holders.operations.holders import create_holder, record_check
from licensing.models import ComplianceCheck, LicenceHolder
from licensing.policy.register import rules_on
from tests.conftest import login
from tests.support import register
from tests.support import reviews as build
from tests.support.register import TODAY, date_parts, field_error


def _text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# Finding 16: the refusal is short; the list stays on the exception and on the page ------------

def test_the_refusal_counts_what_is_missing_and_points_to_the_list():
    error = NotReadyError(["Enhanced DBS certificate: none recorded", "Group 2 medical: expired on 1 May 2026"],
                          field="outcome")
    assert error.message == ("This licence cannot be granted until the 2 checks listed under ‘What is missing’ "
                             "are in place")
    assert error.field == "outcome" and len(error.missing) == 2
    assert "Group 2 medical: expired on 1 May 2026" in str(error)  # the command line still gets the list
    one = NotReadyError(["MOT: none recorded"])
    assert one.message == "This licence cannot be granted until the check listed under ‘What is missing’ is in place"


# Finding 24 (a): a person must be at least the policy's minimum age ----------------------------

def test_a_child_cannot_be_added_as_a_holder(officer):
    rules = rules_on(TODAY)
    with pytest.raises(RegisterError) as refused:
        register.person(officer, born=dt.date(2021, 3, 1))
    assert refused.value.field == "date_of_birth"
    assert f"at least {rules.driver_minimum_age_years} years old" in refused.value.message
    assert rules.title in refused.value.message and "makes them 5" in refused.value.message
    just_old_enough = TODAY.replace(year=TODAY.year - rules.driver_minimum_age_years)
    assert register.person(officer, last_name="Adult", born=just_old_enough).id


def test_an_edit_cannot_make_a_holder_a_child_but_keeps_an_older_record_editable(officer):
    holder = register.person(officer)
    db.session.flush()
    from licensing.holders.operations.holders import update_holder

    data = {"kind": "person", "first_name": "Dana", "last_name": "Driver", "date_of_birth": dt.date(2021, 3, 1)}
    with pytest.raises(RegisterError, match="at least 21"):
        update_holder(officer, holder, data, holder.version)
    db.session.rollback()
    holder = register.person(officer, last_name="Legacy")
    holder.date_of_birth = dt.date(2010, 1, 1)  # held from before the rule: other details can still change
    db.session.flush()
    update_holder(officer, holder, {**data, "last_name": "Legacy", "date_of_birth": dt.date(2010, 1, 1),
                                    "phone": "01632 960 001"}, holder.version)
    assert holder.phone == "01632 960 001"


def test_the_new_holder_form_shows_the_age_at_the_field(app, client, users):
    login(client, users["officer"])
    page = client.post("/holders/new", data={"kind": "person", "first_name": "Test", "last_name": "Toddler",
                                             "date_of_birth": ["1", "3", "2021"]}).get_data(as_text=True)
    assert "at least 21 years old" in field_error(page, "date_of_birth")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(LicenceHolder.id))) == 0


def test_an_organisation_has_no_age_rule(officer):
    assert register.organisation(officer).holder_ref.startswith("ORG")


# Finding 24 (b): references in the register's style ---------------------------------------------

def test_new_references_follow_the_register_and_take_the_next_number(officer):
    db.session.add_all([LicenceHolder(holder_ref="DRV000884", first_name="A", last_name="B"),
                        LicenceHolder(holder_ref="DRV000012", first_name="C", last_name="D"),
                        LicenceHolder(holder_ref="ORG00012", organisation_name="Acme", kind="organisation"),
                        LicenceHolder(holder_ref="H8896F5E8", first_name="E", last_name="F")])
    db.session.flush()
    assert register.person(officer).holder_ref == "DRV000885"  # after the highest, the gap left alone
    assert register.person(officer, last_name="Next").holder_ref == "DRV000886"
    assert register.organisation(officer).holder_ref == "ORG00013"


def test_the_first_references_start_at_one(officer):
    assert register.person(officer).holder_ref == "DRV000001"
    assert register.organisation(officer).holder_ref == "ORG00001"


def test_a_reference_taken_meanwhile_is_skipped(officer, monkeypatch):
    from licensing.holders.operations import holders as operations

    db.session.add(LicenceHolder(holder_ref="DRV000001", first_name="A", last_name="B"))
    db.session.flush()
    # As if another officer's holder took DRV000001 after this one read the highest number.
    monkeypatch.setattr(operations, "_next_holder_number", lambda prefix: 1)
    holder = create_holder(officer, {"kind": "person", "first_name": "Dana", "last_name": "Driver"})
    assert holder.holder_ref == "DRV000002"
    assert db.session.scalar(sa.select(sa.func.count(LicenceHolder.id))) == 2


# Finding 24 (c): the person's fields under the person radio -----------------------------------

def _conditional(html, value):
    """The conditional block the radio with `value` controls."""
    controls = re.search(rf'value="{value}"[^>]*data-aria-controls="([^"]+)"|'
                         rf'data-aria-controls="([^"]+)"[^>]*value="{value}"', html)
    assert controls, f"the {value} radio reveals nothing"
    block_id = controls.group(1) or controls.group(2)
    start = html.rindex("<div", 0, html.index(f'id="{block_id}"'))
    return html[start:html.index('<div class="govuk-radios__item">', start)
                if '<div class="govuk-radios__item">' in html[start:] else html.index("</fieldset>", start)]


def test_the_holder_form_reveals_the_fields_of_the_chosen_kind(app, client, users):
    login(client, users["officer"])
    html = client.get("/holders/new").get_data(as_text=True)
    person, organisation = _conditional(html, "person"), _conditional(html, "organisation")
    for name in ("first_name", "last_name", "date_of_birth-day", "dvla_licence_number"):
        assert f'id="{name}"' in person and f'id="{name}"' not in organisation
    assert 'name="organisation_name"' in organisation and 'name="organisation_name"' not in person
    assert html.count('name="first_name"') == 1 and html.count('name="organisation_name"') == 1
    assert 'name="postcode"' not in person + organisation  # shared details stay outside both
    # Only the chosen kind's block starts open.
    assert "govuk-radios__conditional--hidden" in organisation.split(">", 1)[0]
    assert "govuk-radios__conditional--hidden" not in person.split(">", 1)[0]


def test_an_organisation_keeps_no_person_fields(app, client, users):
    login(client, users["officer"])
    response = client.post("/holders/new", data={
        "kind": "organisation", "organisation_name": "Acme Cabs", "first_name": "Pat", "last_name": "Person",
        "date_of_birth": ["7", "7", "1992"], "dvla_licence_number": "PERSO907072AB1CD"})
    assert response.status_code == 302
    with app.app_context():
        org = db.session.execute(sa.select(LicenceHolder)).scalar_one()
        assert (org.first_name, org.last_name, org.date_of_birth, org.dvla_licence_number) == (None,) * 4
        assert org.holder_ref == "ORG00001"


# Finding 15: the check form is built for its kind -----------------------------------------------

def _results(html):
    block = re.search(r'<select[^>]*name="result"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([a-z_0-9]+)"', block)


def _holder_id(app, users):
    with app.app_context():
        holder = register.person(register.user(users["officer"]))
        db.session.commit()
        return holder.id


def test_record_a_check_first_asks_which_check(app, client, users):
    holder_id = _holder_id(app, users)
    login(client, users["officer"])
    page = client.get(f"/holders/{holder_id}/checks/new").get_data(as_text=True)
    assert "Which check are you recording?" in page and 'method="get"' in page
    assert 'name="result"' not in page and 'name="points"' not in page
    assert "Safeguarding children and vulnerable adults training" in page  # the policy's name
    page = client.get(f"/holders/{holder_id}/checks/new?kind=nonsense").get_data(as_text=True)
    assert field_error(page, "kind") == "Select the check you are recording" and "Error:" in page


def test_the_dvla_form_has_points_and_only_dvla_results(app, client, users):
    holder_id = _holder_id(app, users)
    login(client, users["officer"])
    page = client.get(f"/holders/{holder_id}/checks/new?kind=dvla").get_data(as_text=True)
    assert _results(page) == ["pass", "fail", "pending"]
    assert 'name="points"' in page and 'name="endorsement_code"' in page
    assert 'name="barred_lists_checked"' not in page
    assert "DVLA licence check" in _text(page.split('id="check-kind"', 1)[1][:200])


def test_the_enhanced_dbs_form_has_barred_lists_and_only_dbs_results(app, client, users):
    holder_id = _holder_id(app, users)
    login(client, users["officer"])
    page = client.get(f"/holders/{holder_id}/checks/new?kind=dbs_enhanced").get_data(as_text=True)
    assert _results(page) == ["clear", "information_disclosed", "pending"]
    assert 'name="barred_lists_checked"' in page
    assert 'name="points"' not in page and 'name="endorsement_code"' not in page
    response = client.post(f"/holders/{holder_id}/checks/new", data={
        "kind": "dbs_enhanced", "licence_id": "", "result": "pass", "completed_on": date_parts(TODAY)})
    assert field_error(response.get_data(as_text=True), "result") == (
        "For this check, the result must be: clear, information disclosed, pending")
    response = client.post(f"/holders/{holder_id}/checks/new", data={
        "kind": "dbs_enhanced", "licence_id": "", "result": "clear", "completed_on": date_parts(TODAY),
        "barred_lists_checked": "y", "points": "6"})
    assert response.status_code == 302
    with app.app_context():
        check = db.session.execute(sa.select(ComplianceCheck)).scalar_one()
        assert check.barred_lists_checked is True and check.points is None


def test_the_operation_still_refuses_points_on_another_kind(officer):
    holder = register.person(officer)
    with pytest.raises(RegisterError, match="Penalty points apply only to a DVLA licence check"):
        record_check(officer, holder, {"kind": "medical_group2", "result": "pass", "completed_on": TODAY,
                                       "points": 3})


# Finding 13: each compliance reason links to where it is put right; one name for safeguarding --

def _compliance(html):
    start = html.index('id="compliance"')
    return html[start:html.index("<h3", start)]


def test_compliance_reasons_link_to_their_forms_and_names_match_the_checks_table(app, client, users):
    with app.app_context():
        holder = build.holder("LNK1")
        db.session.commit()
        holder_id = holder.id
    login(client, users["officer"])
    html = client.get(f"/holders/{holder_id}").get_data(as_text=True)
    section = _compliance(html)
    assert "Not compliant" in section
    assert f'href="/holders/{holder_id}/checks/new?kind=dvla"' in section
    label = "Safeguarding children and vulnerable adults training"
    reason = next(li for li in re.findall(r"<li>(.*?)</li>", section, re.S) if label in li)
    assert f"/holders/{holder_id}/checks/new?kind=safeguarding_training" in reason
    training = [li for li in re.findall(r"<li>(.*?)</li>", section, re.S) if "Disability awareness" in li]
    assert training  # a requirement met by a course, not a check: the holder's training page
    assert f'href="/training/holders/{holder_id}/compliance"' in training[0]
    checks = html[html.index('id="checks"'):html.index('id="compliance"')]
    assert label in checks and ">Safeguarding training<" not in checks
    form = client.get(f"/holders/{holder_id}/checks/new?kind=safeguarding_training").get_data(as_text=True)
    assert label in form


def test_the_training_requirement_links_to_the_training_page(app, client, users):
    with app.app_context():
        holder = build.holder("LNK2")
        db.session.commit()
        holder_id = holder.id
    login(client, users["officer"])
    section = _compliance(client.get(f"/holders/{holder_id}").get_data(as_text=True))
    checks_or_renewal = ("/checks/new?kind=", "/holders/licences/")
    others = [li for li in re.findall(r"<li>(.*?)</li>", section, re.S)
              if not any(link in li for link in checks_or_renewal)]
    assert others, "expected a training requirement among the reasons"
    for li in others:
        assert f'href="/training/holders/{holder_id}/compliance"' in li

"""The holder page answers first: "fit to work today" from the same rules as its sections; current
checks apart from history; page views kept out of the timeline; actions where the record is."""

import datetime as dt
import re

import sqlalchemy as sa

from licensing.compliance.due import ComplianceStatus, DueItem
from licensing.extensions import db
from licensing.holders.checks import CheckRow, CheckState
from licensing.holders.queries.fitness import ACTION_NEEDED, FIT, NOT_FIT, NOT_LICENSED, fit_to_work
from licensing.models import AuditEvent, CheckKind, ComplianceCheck, Licence, LicenceStatus, LicenceType
from tests.conftest import login
from tests.support import register
from tests.support import reviews as build
from tests.support.register import TODAY, date_parts


def _text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _summary(html):
    match = re.search(r'<div class="app-fitness[^"]*" id="fit-to-work">(.*?)</div>', html, re.S)
    assert match, "no fit-to-work summary"
    return _text(match.group(1))


def _active_driver(app, ref="FIT1"):
    with app.app_context():
        holder = build.holder(ref)
        db.session.commit()
        return holder.id, db.session.execute(sa.select(Licence.id).filter_by(holder_id=holder.id)).scalar_one()


def test_an_active_driver_with_overdue_checks_is_not_fit_and_the_compliance_section_agrees(app, client, users):
    holder_id, _ = _active_driver(app)
    login(client, users["officer"])
    html = client.get(f"/holders/{holder_id}").get_data(as_text=True)
    summary = _summary(html)
    assert summary.startswith("Not fit to work today:") and "overdue" in summary
    assert "Enhanced DBS" in summary or "DBS" in summary
    assert html.index('id="fit-to-work"') < html.index('id="licences"')  # the answer comes first
    assert "Not compliant" in html and ">Compliant<" not in html


def test_a_suspended_driver_is_not_fit_on_the_first_screen(app, client, users):
    holder_id, licence_id = _active_driver(app, "SUS1")
    with app.app_context():
        db.session.get(Licence, licence_id).status = LicenceStatus.SUSPENDED
        db.session.commit()
    login(client, users["officer"])
    summary = _summary(client.get(f"/holders/{holder_id}").get_data(as_text=True))
    assert summary.startswith("Not fit to work today: no licence in force") and "L-SUS1" in summary
    assert "is suspended" in summary


def test_an_applicant_with_missing_checks_is_not_licensed_and_never_compliant(app, client, users):
    with app.app_context():
        officer = register.user(users["officer"])
        holder = register.person(officer)
        register.driver_application(officer, holder)
        db.session.commit()
        holder_id = holder.id
    login(client, users["officer"])
    html = client.get(f"/holders/{holder_id}").get_data(as_text=True)
    summary = _summary(html)
    assert summary.startswith("Not licensed yet") and "required checks not yet recorded" in summary
    assert ">Compliant<" not in html and "No licence in force" in _text(html)
    assert f"/holders/{holder_id}/checks/new?kind=dbs_enhanced" in html  # "record it" on a missing check


def _item(days_left, label="Enhanced DBS check"):
    return DueItem(1, 1, "L1", "private_hire_driver", "dbs_enhanced", label, TODAY + dt.timedelta(days=days_left),
                   days_left, True)


def _licence(status=LicenceStatus.ACTIVE):
    return Licence(id=1, licence_number="L1", licence_type=LicenceType.PRIVATE_HIRE_DRIVER, status=status)


def test_the_summary_follows_the_compliance_items(ctx):
    status = ComplianceStatus(1, TODAY, [_item(400)])
    fitness = fit_to_work([_licence()], [], status, [], TODAY)
    assert fitness.state == FIT and fitness.headline == "Fit to work today" and fitness.next_due.days_left == 400
    fitness = fit_to_work([_licence()], [], ComplianceStatus(1, TODAY, [_item(5), _item(400)]), [], TODAY)
    assert fitness.state == ACTION_NEEDED and "due on" in fitness.reasons[0]
    fitness = fit_to_work([_licence()], [], ComplianceStatus(1, TODAY, [_item(-3)]), [], TODAY)
    assert fitness.state == NOT_FIT and fitness.headline == "Not fit to work today: 1 requirement overdue"
    applied = _licence(LicenceStatus.APPLIED)
    missing = [CheckRow(kind=CheckKind.DBS_ENHANCED, state=CheckState.MISSING, licence=applied)]
    fitness = fit_to_work([applied], missing, ComplianceStatus(1, TODAY), [], TODAY)
    assert fitness.state == NOT_LICENSED and "1 required check not yet recorded" in fitness.reasons[-1]


def test_current_checks_are_apart_from_the_ones_they_replaced(app, client, users):
    with app.app_context():
        officer = register.user(users["officer"])
        holder = register.person(officer)
        register.add_check(officer, holder, "dvla", completed_on=TODAY - dt.timedelta(days=800),
                           expires_on=TODAY - dt.timedelta(days=435))
        register.add_check(officer, holder, "dvla", completed_on=TODAY - dt.timedelta(days=30),
                           expires_on=TODAY + dt.timedelta(days=335))
        db.session.commit()
        holder_id = holder.id
    login(client, users["officer"])
    html = client.get(f"/holders/{holder_id}").get_data(as_text=True)
    current, _, earlier = html.partition("Earlier checks (1)")
    assert earlier, "the replaced check is folded away"
    assert "Valid" in current and "Replaced" in earlier


def test_intelligence_views_stay_in_the_audit_trail_but_not_in_the_timeline(app, client, users):
    with app.app_context():
        from licensing.holders.operations.holders import record_intelligence

        officer = register.user(users["officer"])
        holder = register.person(officer)
        record_intelligence(officer, holder, {"source": "police", "grading": "B2 P", "summary": "x",
                                              "received_on": TODAY - dt.timedelta(days=3)})
        db.session.commit()
        holder_id = holder.id
    login(client, users["officer"])
    for _ in range(3):
        html = client.get(f"/holders/{holder_id}").get_data(as_text=True)
    timeline = html[html.index('id="timeline"'):]
    assert "Intelligence viewed" not in timeline and "Intelligence recorded" in timeline
    with app.app_context():
        views = db.session.scalars(sa.select(AuditEvent).filter_by(action="intelligence.view")).all()
        assert len(views) == 3


def test_a_dbs_renewal_from_the_holder_page_takes_the_form_defaults(app, client, users):
    holder_id, _ = _active_driver(app, "DBS1")
    login(client, users["officer"])
    page = client.get(f"/holders/{holder_id}").get_data(as_text=True)
    link = f"/holders/{holder_id}/checks/new?kind=dbs_enhanced"
    assert link in page
    form = client.get(link).get_data(as_text=True)
    assert re.search(r'name="kind" type="hidden" value="dbs_enhanced"', form)
    assert re.search(r'<option value="clear" selected', form) and 'value="pass"' not in form
    response = client.post(f"/holders/{holder_id}/checks/new", data={
        "kind": "dbs_enhanced", "licence_id": "", "result": "clear", "completed_on": date_parts(TODAY),
        "reference": "001234567890", "barred_lists_checked": "y"})
    assert response.status_code == 302
    with app.app_context():
        check = db.session.execute(sa.select(ComplianceCheck).filter_by(reference="001234567890")).scalar_one()
        assert check.kind == CheckKind.DBS_ENHANCED and check.result == "clear"


def test_the_default_check_form_is_valid_as_it_stands(app, client, users):
    holder_id, _ = _active_driver(app, "DEF1")
    login(client, users["officer"])
    # Without ?kind= the page first asks which check; each kind's form is then valid as it stands.
    chooser = client.get(f"/holders/{holder_id}/checks/new").get_data(as_text=True)
    assert 'name="result"' not in chooser and 'type="radio"' in chooser
    kind = re.search(r'name="kind" type="radio" value="([a-z_0-9]+)"', chooser).group(1)
    form = client.get(f"/holders/{holder_id}/checks/new?kind={kind}").get_data(as_text=True)
    block = re.search(r'<select[^>]*name="result"[^>]*>(.*?)</select>', form, re.S).group(1)
    result = re.search(r'<option value="([a-z_0-9]+)"[^>]*selected', block).group(1)
    response = client.post(f"/holders/{holder_id}/checks/new", data={
        "kind": kind, "licence_id": "", "result": result, "completed_on": date_parts(TODAY)})
    body = response.get_data(as_text=True)
    assert response.status_code == 302, re.findall(r"govuk-error-summary__list.*?</ul>", body, re.S)


def test_licence_page_offers_immediate_action_and_a_check(app, client, users):
    holder_id, licence_id = _active_driver(app, "IMM1")
    login(client, users["officer"])
    page = client.get(f"/holders/licences/{licence_id}").get_data(as_text=True)
    assert f"/reviews/licences/{licence_id}/immediate-action" in page
    assert f"/holders/{holder_id}/checks/new" in page
    status_page = client.get(f"/holders/licences/{licence_id}/status").get_data(as_text=True)
    assert f"/reviews/licences/{licence_id}/immediate-action" in status_page


def test_a_case_is_opened_from_the_holder_page_and_found_by_badge_number(app, client, users):
    holder_id, licence_id = _active_driver(app, "CASE1")
    with app.app_context():
        db.session.get(Licence, licence_id).badge_number = "B004242"
        db.session.commit()
    login(client, users["officer"])
    page = client.get(f"/holders/{holder_id}").get_data(as_text=True)
    assert "/reviews/cases/new?holder_ref=CASE1" in page
    form = client.get("/reviews/cases/new?holder_ref=CASE1").get_data(as_text=True)
    assert 'value="CASE1"' in form
    response = client.post("/reviews/cases/new", data={"holder_ref": "b004242", "origin": "complaint",
                                                       "summary": "Seen using a phone", "priority": "normal"})
    assert response.status_code == 302
    response = client.post("/reviews/cases/new", data={"holder_ref": "Pat", "origin": "complaint",
                                                       "summary": "s", "priority": "normal"})
    assert "No licence holder matches that" in response.get_data(as_text=True) or response.status_code == 302


def test_the_decision_page_lists_what_is_missing_before_a_grant_with_links(app, client, users):
    with app.app_context():
        officer = register.user(users["officer"])
        holder = register.person(officer)
        licence = register.driver_application(officer, holder)
        db.session.commit()
        licence_id, holder_id = licence.id, holder.id
    login(client, users["officer"])
    page = client.get(f"/holders/licences/{licence_id}/decision").get_data(as_text=True)
    assert "Not yet ready for a grant today" in page
    assert f"/holders/{holder_id}/checks/new?kind=dbs_enhanced" in page


def test_a_likely_duplicate_holder_is_questioned_before_it_is_added(app, client, users):
    with app.app_context():
        officer = register.user(users["officer"])
        register.person(officer, last_name="Ahmed", first_name="Pauline", born=dt.date(1992, 7, 7))
        db.session.commit()
    login(client, users["officer"])
    assert "This is a different person" not in client.get("/holders/new").get_data(as_text=True)
    data = {"kind": "person", "first_name": "pauline", "last_name": "AHMED", "date_of_birth": ["7", "7", "1992"]}
    page = client.post("/holders/new", data=data).get_data(as_text=True)
    assert "may already be on the register" in page and "Error:" in page
    assert client.post("/holders/new", data={**data, "not_a_duplicate": "y"}).status_code == 302

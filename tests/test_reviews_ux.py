"""UX review findings 20 and 26: the work queue shows only cases awaiting work (and agrees with the
home page), links to the rest of a long list and colours status tags; a saved enforcement check
links to the driver and the vehicle."""

import datetime as dt
import re

from licensing.extensions import db
from licensing.main.today import officer_today
from licensing.models import CaseState, Licence, LicenceStatus, LicenceType
from licensing.reviews.forms import EnforcementCheckForm
from licensing.reviews.operations import cases as ops
from licensing.reviews.operations import registers
from licensing.web.formatting import case_state_tag
from tests.conftest import login
from tests.support import reviews as build

TODAY = dt.date.today()


def _case(officer, ref, state, due_on, assigned=True):
    person = build.holder(ref)
    case = ops.open_case(officer, person, "complaint", f"Case about {ref}", licences=person.licences,
                         assigned_officer_id=officer.id if assigned else None)
    case.state, case.due_on = state, due_on  # set up directly: the transitions are tested elsewhere
    return case


def _table(html, caption):
    """The table whose caption starts with `caption`, from its caption on."""
    return re.search(rf"<caption[^>]*>\s*{re.escape(caption)}.*?</table>", html, re.S).group(0)


def test_a_decided_overdue_case_is_not_work_in_the_queue_or_on_the_home_page(app, client, users):
    with app.app_context():
        officer = build.user(users["officer"])
        late = TODAY - dt.timedelta(days=30)
        decided = _case(officer, "UX1", CaseState.DECIDED, late)
        closed = _case(officer, "UX2", CaseState.CLOSED, late)
        working = _case(officer, "UX3", CaseState.INVESTIGATING, late)
        _case(officer, "UX4", CaseState.DECIDED, late, assigned=False)
        db.session.commit()
        refs = decided.reference, closed.reference, working.reference
        counts = officer_today(officer, TODAY)["cases"]
        assert (counts["my_overdue"], counts["overdue"], counts["mine"], counts["unassigned"]) == (1, 1, 1, 0)
    login(client, users["officer"])
    html = client.get("/reviews/").get_data(as_text=True)
    for caption in ("My cases (1)", "Overdue cases (1)"):
        table = _table(html, caption)
        assert refs[2] in table and refs[0] not in table and refs[1] not in table
    assert "Unassigned cases (0)" in html
    home = client.get("/home").get_data(as_text=True)
    assert "1 of your cases is overdue" in " ".join(re.sub(r"<[^>]+>", " ", home).split())
    assert refs[2] in home and refs[0] not in home
    listed = client.get("/reviews/cases?work=overdue").get_data(as_text=True)  # the "See all" list agrees
    assert refs[2] in listed and refs[0] not in listed and "Overdue cases: 1 case" in listed


def test_a_list_longer_than_a_page_links_to_all_of_it(app, client, users):
    with app.app_context():
        officer = build.user(users["officer"])
        per_page = app.config["PAGE_SIZE"]
        for n in range(per_page + 1):
            _case(officer, f"MANY{n}", CaseState.OPEN, TODAY + dt.timedelta(days=n + 1))
        db.session.commit()
    login(client, users["officer"])
    html = client.get("/reviews/").get_data(as_text=True)
    assert f"My cases ({per_page + 1})" in html
    assert _table(html, "My cases").count('class="govuk-table__row"') == per_page + 1  # header + a page
    link = re.search(r'<a class="govuk-link" href="([^"]+)">See all ([\d,]+) my cases</a>', html)
    assert link and link.group(2) == str(per_page + 1)
    assert "work=mine" in link.group(1)
    assert "See all" not in html.split("Unassigned cases")[1]  # the other lists fit on their page
    everything = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert f"My cases: {per_page + 1} cases" in everything
    client.post("/auth/logout")
    login(client, users["officer_no_clearance"])  # "mine" is the signed-in officer's, not the first's
    assert "My cases: 0 cases" in client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)


def test_case_status_tags_are_coloured_by_state(app, client, users):
    classes = {state: case_state_tag(state) for state in CaseState}
    assert classes[CaseState.DECIDED] != classes[CaseState.OPEN] != classes[CaseState.AWAITING_DECISION]
    assert classes[CaseState.LISTED_FOR_HEARING] == "govuk-tag--orange"
    assert len(set(classes.values())) >= 5
    with app.app_context():
        officer = build.user(users["officer"])
        _case(officer, "TAG1", CaseState.OPEN, TODAY)
        _case(officer, "TAG2", CaseState.DECIDED, TODAY)
        db.session.commit()
    login(client, users["officer"])
    html = client.get("/reviews/cases").get_data(as_text=True)
    assert f'<strong class="govuk-tag {classes[CaseState.OPEN]}">Open</strong>' in html
    assert f'<strong class="govuk-tag {classes[CaseState.DECIDED]}">Decided</strong>' in html


def test_the_check_form_asks_for_the_driver_by_anything_on_the_badge(app):
    from licensing.holders.queries.search import HOLDER_LOOKUP_HINT

    with app.test_request_context():
        field = EnforcementCheckForm(meta={"csrf": False}).driver_ref
        assert field.label.text == "Driver" and field.description == HOLDER_LOOKUP_HINT


def test_a_saved_check_links_to_the_driver_and_the_vehicle(app, client, users):
    with app.app_context():
        officer = build.user(users["officer"])
        driver, owner, other_owner = build.holder("CHK1"), build.holder("CHK2"), build.holder("CHK3")
        car = build.vehicle("CH11AAA", owner)
        plate = Licence(licence_number="PHV-CHK", holder_id=owner.id, licence_type=LicenceType.PRIVATE_HIRE_VEHICLE,
                        status=LicenceStatus.ACTIVE, vehicle_id=car.id)
        db.session.add(plate)
        unlicensed = build.vehicle("CH22BBB", other_owner)
        checks = [registers.record_enforcement_check(
            officer, checked_on=TODAY, check_type="unannounced_vehicle_check", officer_id=officer.id,
            result="satisfactory", vehicle_id=vehicle.id, driver_id=driver.id) for vehicle in (car, unlicensed)]
        db.session.commit()
        ids = [c.id for c in checks]
        plate_id, driver_id, other_owner_id = plate.id, driver.id, other_owner.id
        driver_name = driver.display_name
    login(client, users["officer"])
    form = client.get("/reviews/checks/new").get_data(as_text=True)
    assert "Driver (licence holder reference)" not in form and "badge, licence or plate number" in form
    page = client.get(f"/reviews/checks/{ids[0]}").get_data(as_text=True)
    assert f'href="/holders/{driver_id}">{driver_name}</a>' in page
    assert f'href="/holders/licences/{plate_id}">CH11AAA</a>' in page
    page = client.get(f"/reviews/checks/{ids[1]}").get_data(as_text=True)  # no licence: its proprietor
    assert f'href="/holders/{other_owner_id}">CH22BBB</a>' in page

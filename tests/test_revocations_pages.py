"""The revocations pages through the real forms: register filters and CSV, appeals, NR3S,
referrals, the holder page section, and who may do what (both databases)."""

import csv
import datetime as dt
import io

import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import (
    ActionStatus,
    Appeal,
    AuditEvent,
    CostsDirection,
    CrossBorderReferral,
    EnforcementAction,
    LicenceStatus,
    Nr3sEntry,
    User,
)
from licensing.revocations.immediate import take_immediate_action
from licensing.revocations.operations import take_action
from tests.conftest import login
from tests.support.people import authoriser_for
from tests.support.register import date_parts, field_error
from tests.support.reviews import holder

TODAY = dt.date.today()


def _date(name, value):
    day, month, year = date_parts(value)
    return [(name, day), (name, month), (name, year)]


def _post(client, url, fields):
    from werkzeug.datastructures import MultiDict

    return client.post(url, data=MultiDict(fields))


def _actions(app, users):
    """An immediate revocation (officer, police information, NR3S grounds) for a holder whose name
    starts with '=', and a hearing-style pending suspension for another."""
    with app.app_context():
        officer = db.session.execute(sa.select(User).filter_by(email=users["officer"])).scalar_one()
        risky = holder("=SUM(1)", last_name="@Driver")
        revocation = take_immediate_action(officer, risky.licences[0], "revocation", grounds="Arrested",
                                           public_safety_reason="Risk", police_information=True,
                                           authorised_by_id=authoriser_for(officer).id,
                                           safeguarding_or_road_safety=True)
        other = holder("PG2")
        pending = take_action(officer, other.licences[0], kind="suspension", origin="hearing", decision_date=TODAY,
                              notice_date=TODAY, suspension_to=TODAY + dt.timedelta(days=50), grounds="Complaints",
                              authorised_by=officer)
        assert (pending.status, pending.effective_date) == (ActionStatus.PENDING, TODAY + dt.timedelta(days=22))
        assert pending.suspension_from == TODAY + dt.timedelta(days=22)
        db.session.commit()
        return revocation.id, pending.id, risky.id, other.id


def test_register_filters_and_csv_neutralises_formulas(app, client, users):
    revocation_id, pending_id, _, _ = _actions(app, users)
    login(client, users["manager"])
    html = client.get("/revocations/").get_data(as_text=True)
    assert "2 decisions" in html
    html = client.get("/revocations/?status=pending").get_data(as_text=True)
    assert "1 decision" in html and f"/revocations/actions/{pending_id}" in html
    html = client.get("/revocations/?status=effective&origin=officer&kind=revocation").get_data(as_text=True)
    assert "1 decision" in html and f"/revocations/actions/{revocation_id}" in html
    later = TODAY + dt.timedelta(days=30)
    query = "&".join(f"date_from={p}" for p in date_parts(later))
    assert "0 decisions" in client.get(f"/revocations/?{query}").get_data(as_text=True)
    response = client.get("/revocations/register.csv?kind=revocation")
    assert response.status_code == 200 and response.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][0] == "reference" and len(rows) == 2
    assert rows[1][rows[0].index("holder_ref")] == "'=SUM(1)"  # a formula cell is neutralised
    assert rows[1][rows[0].index("holder_name")] == "Pat @Driver"
    assert rows[1][rows[0].index("status_on_date")] == "effective"
    with app.app_context():
        assert db.session.execute(sa.select(AuditEvent).filter_by(action="revocations.exported")).scalar_one()


def test_officer_lodges_an_appeal_records_a_hearing_and_the_outcome_with_costs(app, client, users):
    revocation_id, _, holder_id, _ = _actions(app, users)
    login(client, users["officer"])
    response = _post(client, f"/revocations/actions/{revocation_id}/appeal",
                     _date("lodged_on", TODAY + dt.timedelta(days=1)))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in html
    assert field_error(html, "lodged_on") == "The date lodged must be today or in the past"
    response = _post(client, f"/revocations/actions/{revocation_id}/appeal",
                     _date("lodged_on", TODAY) + [("court_reference", "MC/123"), ("grounds", "Innocent")])
    assert response.status_code == 302
    with app.app_context():
        appeal_id = db.session.execute(sa.select(Appeal.id)).scalar_one()
    response = _post(client, f"/revocations/appeals/{appeal_id}/hearings",
                     _date("hearing_on", TODAY) + [("purpose", "First hearing")])
    assert response.status_code == 302
    response = _post(client, f"/revocations/appeals/{appeal_id}/outcome",
                     [("outcome", "dismissed"), *_date("decided_on", TODAY), ("costs_direction", "for_council"),
                      ("costs", "£five"), ("version", "1")])
    assert field_error(response.get_data(as_text=True), "costs").startswith("Enter the costs in pounds")
    response = _post(client, f"/revocations/appeals/{appeal_id}/outcome",
                     [("outcome", "dismissed"), *_date("decided_on", TODAY), ("costs_direction", "for_council"),
                      ("costs", "£525.00"), ("version", "1")])
    assert response.status_code == 302
    with app.app_context():
        appeal = db.session.get(Appeal, appeal_id)
        assert appeal.costs_pence == 52500 and appeal.costs_direction == CostsDirection.FOR_COUNCIL
        assert [h.purpose for h in appeal.hearings] == ["First hearing"]
    html = client.get("/revocations/appeals").get_data(as_text=True)
    assert "defended 1 of 1" in html and "£525.00" in html
    html = client.get(f"/revocations/appeals/{appeal_id}").get_data(as_text=True)
    assert "Further appeal to the Crown Court" in html and "MC/123" in html
    html = client.get(f"/holders/{holder_id}").get_data(as_text=True)
    assert "Appeals" in html and "lodged " + f"{TODAY.day} {TODAY:%B %Y}, dismissed" in html


def test_holder_page_shows_pending_apart_from_effective_and_the_badge_return(app, client, users):
    revocation_id, pending_id, holder_id, other_id = _actions(app, users)
    login(client, users["officer"])
    html = client.get(f"/holders/{other_id}").get_data(as_text=True)
    assert "Pending: not yet in effect" in html and "In effect or run their course" not in html
    html = client.get(f"/holders/{holder_id}").get_data(as_text=True)
    assert "In effect or run their course" in html and "(immediate effect)" in html
    assert "Return of badges and plates" in html and "not yet returned" in html
    assert "Entry due by" in html
    with app.app_context():
        version = db.session.get(EnforcementAction, revocation_id).version
    response = _post(client, f"/revocations/actions/{revocation_id}/return",
                     _date("returned_on", TODAY) + [("version", version)])
    assert response.status_code == 302
    assert "returned " + f"{TODAY.day} {TODAY:%B %Y}" in client.get(f"/holders/{holder_id}").get_data(as_text=True)


def test_nr3s_entry_and_referral_forms(app, client, users):
    _actions(app, users)
    with app.app_context():
        entry_id = db.session.execute(sa.select(Nr3sEntry.id)).scalar_one()
        officer_id = db.session.execute(sa.select(User.id).filter_by(email=users["officer"])).scalar_one()
    login(client, users["officer"])
    assert "Not yet" in client.get("/revocations/nr3s?outstanding=1").get_data(as_text=True)
    response = _post(client, f"/revocations/nr3s/{entry_id}/entered",
                     _date("entered_on", TODAY) + [("entered_by_id", str(officer_id)), ("reference", "N-1"),
                                                   ("version", "1")])
    assert response.status_code == 302
    with app.app_context():
        entry = db.session.get(Nr3sEntry, entry_id)
        assert entry.entered_on == TODAY and entry.retain_until.year == TODAY.year + 11
    response = _post(client, "/revocations/referrals/new",
                     _date("received_on", TODAY) + [("other_authority", ""), ("driver_name", "Sam"),
                                                    ("information", "Seen")])
    assert field_error(response.get_data(as_text=True), "other_authority") == "Enter the authority"
    response = _post(client, "/revocations/referrals/new",
                     _date("received_on", TODAY) + [("other_authority", "Wolverhampton"), ("driver_name", "Sam"),
                                                    ("information", "Plying for hire")])
    assert response.status_code == 302
    with app.app_context():
        referral = db.session.execute(sa.select(CrossBorderReferral)).scalar_one()
    html = client.get(f"/revocations/referrals/{referral.id}").get_data(as_text=True)
    assert "Record what was sent" in html and "10 working days" in html
    response = _post(client, f"/revocations/referrals/{referral.id}/sent",
                     _date("sent_on", TODAY) + [("what_sent", "Statement"), ("version", "1")])
    assert response.status_code == 302


def test_managers_read_and_cannot_change_panel_finds_nothing(app, client, users):
    revocation_id, _, _, _ = _actions(app, users)
    login(client, users["manager"])
    assert client.get(f"/revocations/actions/{revocation_id}").status_code == 200
    assert "Record an appeal" not in client.get(f"/revocations/actions/{revocation_id}").get_data(as_text=True)
    assert _post(client, f"/revocations/actions/{revocation_id}/appeal", _date("lodged_on", TODAY)).status_code == 403
    client.post("/auth/logout")
    login(client, users["panel"])
    # Panel members are told nothing exists outside their hearings.
    assert client.get("/revocations/").status_code == 404
    assert client.get(f"/revocations/actions/{revocation_id}").status_code == 404
    with app.app_context():
        assert db.session.get(EnforcementAction, revocation_id).licence.status == LicenceStatus.REVOKED


def test_appeal_against_a_licence_by_number_and_the_late_warning(app, client, users):
    with app.app_context():
        refused = holder("AP1")
        db.session.commit()
        number = refused.licences[0].licence_number
    login(client, users["officer"])
    notice = TODAY - dt.timedelta(days=40)
    fields = [("subject", "Refusal to renew"), *_date("notice_on", notice), *_date("lodged_on", TODAY)]
    response = _post(client, "/revocations/appeals/new", [("licence_number", "NO-SUCH-1"), *fields])
    assert response.status_code == 200
    assert field_error(response.get_data(as_text=True), "licence_number") == "No licence has that number"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Appeal)) == 0
    response = _post(client, "/revocations/appeals/new", [("licence_number", number.lower()), *fields])
    assert response.status_code == 302
    with app.app_context():
        appeal = db.session.execute(sa.select(Appeal)).scalar_one()
        assert appeal.subject == "Refusal to renew" and appeal.licence.licence_number == number
    assert response.location.endswith(f"/revocations/appeals/{appeal.id}")
    html = client.get(response.location).get_data(as_text=True)
    assert "Late: after the 21-day limit" in html  # notice 40 days before lodging

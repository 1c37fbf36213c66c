"""What users expect of every page: sortable tables that work without JavaScript, page titles
that say where you are, breadcrumbs, dates as "3 March 2016", a print stylesheet, and an
accessibility statement."""

import datetime as dt

from licensing.extensions import db
from licensing.reviews.operations import cases as ops
from tests.conftest import login
from tests.support.reviews import holder, user

NAMES = ("Adams", "Moss", "Young")


def _cases(app, officer_email):
    with app.app_context():
        officer = user(officer_email)
        for ref, last, priority, due in (("S1", "Young", "low", 30), ("S2", "Adams", "urgent", 10),
                                         ("S3", "Moss", "normal", 20)):
            ops.open_case(officer, holder(ref, last_name=last), "audit", f"Sort {ref}", priority=priority,
                          due_on=dt.date.today() + dt.timedelta(days=due))
        db.session.commit()


def test_case_list_sorts_on_the_server_by_each_offered_column(app, client, users):
    _cases(app, users["officer"])
    login(client, users["manager"])

    def order(query):
        page = client.get(f"/reviews/cases{query}").get_data(as_text=True)
        return sorted(NAMES, key=page.index)

    assert order("?sort=holder&direction=ascending") == ["Adams", "Moss", "Young"]
    assert order("?sort=holder&direction=descending") == ["Young", "Moss", "Adams"]
    assert order("?sort=due&direction=ascending") == ["Adams", "Moss", "Young"]
    assert order("?sort=priority&direction=descending") == ["Adams", "Moss", "Young"]
    assert order("?sort=priority&direction=ascending") == ["Young", "Moss", "Adams"]
    assert order("") == ["Moss", "Adams", "Young"]  # newest first
    assert order("?sort=nonsense&direction=sideways") == ["Moss", "Adams", "Young"]
    page = client.get("/reviews/cases?sort=due&direction=ascending&state=open").get_data(as_text=True)
    assert 'aria-sort="ascending"' in page
    assert "sort=due&amp;direction=descending" in page and "state=open" in page


def test_recorded_values_read_as_govuk_dates():
    from licensing.text import display_value

    assert display_value("2016-03-03") == "3 March 2016"
    assert display_value("2016-03-03T14:05:00") == "3 March 2016 at 2:05pm"
    assert display_value("2016-13-45") == "2016-13-45"
    assert display_value("PHD-0001") == "PHD-0001" and display_value(7) == 7
    assert display_value("dvla due 2026-05-14 met") == "dvla due 14 May 2026 met"
    assert display_value("code SG-2026-05-14") == "code SG-2026-05-14"
    assert display_value([{"requirement": "dvla", "due_on": "2026-05-14"}]) == "requirement: dvla; due_on: 14 May 2026"


def test_signed_in_pages_are_never_cached_but_the_stylesheets_may_be(app, client, users):
    login(client, users["officer"])
    assert client.get("/home").headers["Cache-Control"] == "no-store"
    assert client.get("/holders/").headers["Cache-Control"] == "no-store"
    for asset in ("/static/app.css", "/static/govuk/govuk-frontend.min.css"):
        response = client.get(asset)
        assert response.status_code == 200 and "no-store" not in response.headers.get("Cache-Control", ""), asset

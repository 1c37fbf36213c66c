"""Each role's home page says what needs doing today, from the same records as the work queues."""

import datetime as dt
import re

import sqlalchemy as sa

from licensing.demo.council import build_demo_council, ensure_demo_users
from licensing.extensions import db
from licensing.models import CaseState, Hearing, HearingListing, HearingStatus, ReviewCase, User
from licensing.reviews.queries import AWAITING_WORK, WORK_STATES
from tests.conftest import login, make_user


def _load_demo(app, holders=150):
    with app.app_context():
        ensure_demo_users()
        db.session.commit()
        build_demo_council(holders=holders, seed=7)
        db.session.commit()


def _text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_officer_home_counts_their_cases_and_the_queue(app, client, users):
    _load_demo(app)
    today = dt.date.today()
    with app.app_context():
        officer = db.session.execute(sa.select(User).filter_by(email=users["officer"])).scalar_one()
        awaiting = sa.select(ReviewCase).where(AWAITING_WORK)  # a decided case is not work (UX review 20)
        cases = db.session.execute(awaiting.order_by(ReviewCase.id).limit(3)).scalars().all()
        for case in cases:
            case.assigned_officer_id = officer.id
        cases[0].due_on = today - dt.timedelta(days=3)
        cases[1].due_on = today + dt.timedelta(days=2)
        cases[2].due_on = today + dt.timedelta(days=40)
        db.session.commit()
        refs = [c.reference for c in cases]
    login(client, users["officer"])
    html = client.get("/home").get_data(as_text=True)
    text = _text(html)
    assert "1 of your cases is overdue" in text and "1 of your cases is due this week" in text
    assert refs[0] in html and refs[1] in html and refs[2] not in html
    assert "Find a licence holder" in text and 'name="q"' in html
    assert "Compliance work queue" in text and "daily compliance scan has not run yet" in text
    assert "Hearings in the next 7 days" in text and "notices not yet recorded as served" in text


def test_panel_home_shows_the_next_hearings_they_sit_on(app, client, users):
    _load_demo(app)
    with app.app_context():
        panel = db.session.execute(sa.select(User).filter_by(email=users["panel"])).scalar_one()
        hearing = db.session.execute(sa.select(Hearing).join(HearingListing).where(
            Hearing.status == HearingStatus.SCHEDULED, HearingListing.removed.is_(False))
            .order_by(Hearing.starts_at).limit(1)).scalar_one()
        hearing.starts_at = dt.datetime.combine(dt.date.today() + dt.timedelta(days=5), dt.time(10))
        hearing.panel.append(panel)
        other = db.session.execute(sa.select(Hearing).where(Hearing.id != hearing.id, Hearing.status ==
                                                            HearingStatus.SCHEDULED).limit(1)).scalar_one_or_none()
        db.session.commit()
        hearing_id, other_id = hearing.id, other.id if other else None
        listing_id = next(lst.id for lst in hearing.listings if not lst.removed)
    login(client, users["panel"])
    html = client.get("/home").get_data(as_text=True)
    assert "Your next hearings" in html
    assert f"/hearings/{hearing_id}\"" in html and f"/hearings/listings/{listing_id}/bundle.pdf" in html
    if other_id:
        assert f"/hearings/{other_id}\"" not in html
    assert "Licence holders" not in html


def test_panel_home_without_hearings_says_so(client, users):
    login(client, users["panel"])
    assert "not sitting on any hearing" in client.get("/home").get_data(as_text=True)


def test_manager_home_shows_the_headline_measure_and_its_trend(app, client, users):
    _load_demo(app)
    login(client, users["manager"])
    text = _text(client.get("/home").get_data(as_text=True))
    assert "Measure 3.A4" in text and "holders with a licence in force" in text
    assert "Trend at each quarter end" in text and "Quarterly compliance report" in text
    assert re.search(r"\d+\.\d% today", text)


def test_admin_home_shows_job_runs_and_accounts_needing_attention(app, client, users):
    with app.app_context():
        make_user("officer", email="new@test.example.gov.uk", name="Nadia Newofficer", enrolled=False)
        db.session.commit()
    login(client, users["admin"])
    text = _text(client.get("/home").get_data(as_text=True))
    assert "No job has run yet" in text
    assert "Nadia Newofficer (Licensing officer) has not set up an authenticator" in text
    assert "Browse the audit trail" in text


def test_the_home_page_counts_only_cases_awaiting_work():
    assert CaseState.OPEN in WORK_STATES and CaseState.LISTED_FOR_HEARING in WORK_STATES
    assert not {CaseState.DECIDED, CaseState.CLOSED, CaseState.WITHDRAWN} & set(WORK_STATES)

"""Holders book themselves on training that satisfies a requirement they owe, while places last."""

import datetime as dt

import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import Booking, Licence
from licensing.training.operations import create_course, create_session
from tests.support import register
from tests.support.portal import linked_holder

TODAY = dt.date.today()


def test_a_holder_books_a_place_and_a_full_session_is_refused(app, users):
    first, first_id = linked_holder(app, users["officer"], "T-1", "t1@example.com")
    second, second_id = linked_holder(app, users["officer"], "T-2", "t2@example.com")
    with app.app_context():
        officer = register.user(users["officer"])
        course = create_course(officer, code="SG1", title="Safeguarding awareness", kind="safeguarding",
                               satisfies="safeguarding_training", validity_months=36)
        db.session.flush()
        session = create_session(officer, course=course, held_on=TODAY + dt.timedelta(days=14),
                                 venue="Town Hall", capacity=1, trainer="A Trainer")
        db.session.commit()
        session_id = session.id
        first_licence = db.session.execute(sa.select(Licence.id).filter_by(holder_id=first_id)).scalar_one()
        second_licence = db.session.execute(sa.select(Licence.id).filter_by(holder_id=second_id)).scalar_one()
    home = first.get("/account/").get_data(as_text=True)
    url = f"/account/licences/{first_licence}/book/safeguarding_training"
    assert url in home
    page = first.get(url).get_data(as_text=True)
    assert "Safeguarding awareness" in page and "1 place left" in page
    booked = first.post(url, data={"session_id": session_id})
    assert booked.status_code == 302
    assert "Training you are booked on" in first.get("/account/").get_data(as_text=True)
    full = second.post(f"/account/licences/{second_licence}/book/safeguarding_training",
                       data={"session_id": session_id}).get_data(as_text=True)
    assert 'id="session_id-error"' in full and "This session is full" in full
    with app.app_context():
        assert db.session.execute(sa.select(Booking.holder_id)).scalars().all() == [first_id]
    assert first.get(f"/account/licences/{second_licence}/book/safeguarding_training").status_code == 404

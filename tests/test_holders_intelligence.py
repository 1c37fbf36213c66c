"""Restricted intelligence: officers with clearance only, every view audited, no trace for others."""

import datetime as dt

import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import AuditEvent, Intelligence, LicenceHolder
from tests.conftest import login
from tests.support import register
from tests.support.register import TODAY, date_parts, field_error

WHERE = ("holder page and timeline", "intelligence page")  # the audit row says where, never what
SECRET = "Seen with a person of interest outside the school gates"


def _holder_with_intelligence(app, users):
    with app.app_context():
        from licensing.holders.operations.holders import record_intelligence

        officer = register.user(users["officer"])
        holder = register.person(officer)
        record_intelligence(officer, holder, {"source": "police", "grading": "B2 P", "summary": SECRET,
                                              "received_on": TODAY - dt.timedelta(days=3)})
        db.session.commit()
        return holder.id


def _views(app):
    with app.app_context():
        return db.session.execute(sa.select(AuditEvent).filter_by(action="intelligence.view")).scalars().all()


def test_officer_without_clearance_is_refused_and_it_is_audited(app, client, users):
    holder_id = _holder_with_intelligence(app, users)
    login(client, users["officer_no_clearance"])
    assert client.get(f"/holders/{holder_id}/intelligence").status_code == 403
    assert client.get(f"/holders/{holder_id}/intelligence/new").status_code == 403
    response = client.post(f"/holders/{holder_id}/intelligence/new", data={
        "source": "public", "grading": "E5", "summary": "x", "received_on": date_parts(TODAY)})
    assert response.status_code == 403
    with app.app_context():
        denials = db.session.execute(sa.select(AuditEvent).filter_by(action="access.denied")).scalars().all()
        assert len(denials) == 3 and all("intelligence" in d.reason for d in denials)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Intelligence)) == 1
    assert _views(app) == []


def test_holder_page_shows_no_trace_of_intelligence_without_clearance(app, users):
    holder_id = _holder_with_intelligence(app, users)
    for role in ("officer_no_clearance", "manager", "admin"):
        client = app.test_client()
        login(client, users[role])
        page = client.get(f"/holders/{holder_id}").get_data(as_text=True)
        assert SECRET not in page and "B2 P" not in page, role
        assert "intelligence" not in page.lower(), role  # not even the timeline mentions it
    assert _views(app) == []


def test_cleared_officer_reads_it_and_each_view_is_audited_without_content(app, client, users):
    holder_id = _holder_with_intelligence(app, users)
    login(client, users["officer"])
    assert SECRET in client.get(f"/holders/{holder_id}").get_data(as_text=True)
    assert SECRET in client.get(f"/holders/{holder_id}/intelligence").get_data(as_text=True)
    views = _views(app)
    assert len(views) == 2
    with app.app_context():
        officer_id = register.user(users["officer"]).id
        all_events = db.session.execute(sa.select(AuditEvent)).scalars().all()
    for view in views:
        assert view.holder_id == holder_id and view.actor_id == officer_id
        assert view.before is None and view.after is None and view.reason in WHERE
    assert not any(SECRET in str((e.before, e.after, e.reason)) for e in all_events)


def test_recording_intelligence_validates_and_audits(app, client, users):
    with app.app_context():
        holder = register.person(register.user(users["officer"]))
        db.session.commit()
        holder_id = holder.id
    login(client, users["officer"])
    base = {"source": "nca", "grading": "B2", "summary": "Linked to an operation", "received_on": date_parts(TODAY)}
    page = client.post(f"/holders/{holder_id}/intelligence/new", data={
        **base, "received_on": date_parts(TODAY + dt.timedelta(days=2))}).get_data(as_text=True)
    assert field_error(page, "received_on") == "The date received must be today or in the past"
    page = client.post(f"/holders/{holder_id}/intelligence/new", data={**base, "source": "gossip"})
    assert field_error(page.get_data(as_text=True), "source") == "Choose source from the list"
    page = client.post(f"/holders/{holder_id}/intelligence/new", data={**base, "summary": ""})
    assert field_error(page.get_data(as_text=True), "summary") == "Enter a summary of the intelligence"
    assert client.post(f"/holders/{holder_id}/intelligence/new", data=base).status_code == 302
    with app.app_context():
        item = db.session.execute(sa.select(Intelligence)).scalar_one()
        assert item.source == "nca" and item.recorded_by_id is not None
        event = db.session.execute(sa.select(AuditEvent).filter_by(action="intelligence.create")).scalar_one()
        assert event.holder_id == holder_id and "Linked" not in str(event.after)


def test_a_holder_page_with_no_intelligence_on_it_records_no_view(app, client, users):
    """A cleared officer shown nothing restricted has seen nothing: no row, no write to the audit
    chain on an ordinary page view. With intelligence on the page, each view is recorded."""
    from licensing.holders.operations.holders import record_intelligence

    with app.app_context():
        officer = register.user(users["officer"])
        plain = register.person(officer, last_name="Plain")
        db.session.commit()
        plain_id = plain.id
    login(client, users["officer"])
    assert client.get(f"/holders/{plain_id}").status_code == 200
    assert _views(app) == []
    with app.app_context():
        record_intelligence(register.user(users["officer"]), db.session.get(LicenceHolder, plain_id),
                            {"source": "police", "grading": "B2 P", "summary": SECRET, "received_on": TODAY})
        db.session.commit()
    assert client.get(f"/holders/{plain_id}").status_code == 200
    assert [view.holder_id for view in _views(app)] == [plain_id]

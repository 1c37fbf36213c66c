"""Administering accounts: change a role, clearance and post (audited, sessions ended), never
your own administrator role or the last administrator; the audit trail filtered by person and by
licence holder, in words rather than codes and ids."""

import re

import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import AuditEvent, Role, User
from tests.conftest import login
from tests.support import register


def _user(app, email):
    with app.app_context():
        return db.session.execute(sa.select(User).filter_by(email=email)).scalar_one()


def _text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_an_admin_changes_a_role_and_clearance_and_the_session_ends(app, client, users):
    manager = _user(app, users["manager"])
    login(client, users["admin"])
    assert "Change role or clearance" in client.get("/admin/users").get_data(as_text=True)
    form = client.get(f"/admin/users/{manager.id}/edit").get_data(as_text=True)
    assert 'value="manager" checked' in form or re.search(r'value="manager"[^>]*checked', form)
    response = client.post(f"/admin/users/{manager.id}/edit", data={
        "role": "officer", "clearance": "y", "post": "Licensing Officer", "reason": "Moved to the licensing team",
        "version": str(manager.version)})
    assert response.status_code == 302
    with app.app_context():
        changed = db.session.get(User, manager.id)
        assert changed.role == Role.OFFICER and changed.has_clearance and changed.post == "Licensing Officer"
        assert changed.session_token != manager.session_token
        event = db.session.execute(sa.select(AuditEvent).filter_by(action="user.update")).scalar_one()
        assert event.before["role"] == "manager" and event.after["role"] == "officer"
        assert event.reason == "Moved to the licensing team"


def test_account_changes_that_cannot_be_made_are_refused_at_their_field(app, client, users):
    login(client, users["admin"])
    admin, panel = _user(app, users["admin"]), _user(app, users["panel"])  # read after signing in
    page = client.post(f"/admin/users/{panel.id}/edit", data={
        "role": "panel", "clearance": "y", "reason": "x", "version": str(panel.version)}).get_data(as_text=True)
    assert "Only a licensing officer can hold clearance" in page and page.count("govuk-error-summary") >= 1
    page = client.post(f"/admin/users/{admin.id}/edit", data={
        "role": "officer", "reason": "x", "version": str(admin.version)}).get_data(as_text=True)
    assert "You cannot take away your own administrator role" in page
    page = client.post(f"/admin/users/{panel.id}/edit", data={"role": "panel", "reason": "",
                                                               "version": str(panel.version)}).get_data(as_text=True)
    assert "Enter the reason for the change" in page
    users_page = client.get("/admin/users").get_data(as_text=True)
    assert f"/admin/users/{admin.id}/disable" not in users_page  # not offered on your own account


def test_the_audit_trail_reads_in_words_and_filters_by_person_and_holder(app, client, users):
    with app.app_context():
        officer = register.user(users["officer"])
        holder = register.person(officer, last_name="Auditson")
        register.person(officer, last_name="Otherson")
        db.session.commit()
        holder_id, officer_id = holder.id, officer.id
    login(client, users["admin"])
    page = client.get(f"/admin/audit?holder={holder.holder_ref}").get_data(as_text=True)
    text = _text(page)
    assert "1 event" in text and "Licence holder created" in text and "Auditson" in text and "Otherson" not in text
    assert "holder.create" not in text and "licence_holders" not in text
    page = client.get(f"/admin/audit?actor_id={officer_id}").get_data(as_text=True)
    assert "2 events" in _text(page)
    page = client.get("/admin/audit?holder=nobody-at-all").get_data(as_text=True)
    assert "No licence holder matches that" in page and "0 events" in _text(page)
    assert f"/holders/{holder_id}" in client.get("/admin/audit").get_data(as_text=True)

"""Logs are structured and hold no passwords, cookies, codes, search terms or record content."""

import datetime as dt
import json
import logging

from licensing.audit import record
from licensing.extensions import db
from licensing.models import Conviction, LicenceHolder
from tests.conftest import TEST_PASSWORD, login

SENTINELS = ["Zebedee-Sentinel", "SENTINEL-CONVICTION-TEXT", TEST_PASSWORD]


def test_logs_are_json_and_carry_no_personal_data(app, client, users, caplog):
    with app.app_context():
        holder = LicenceHolder(holder_ref="S1", first_name="Zebedee-Sentinel", last_name="Driver")
        db.session.add(holder)
        db.session.flush()
        db.session.add(Conviction(holder_id=holder.id, category="violence", offence="SENTINEL-CONVICTION-TEXT",
                                  conviction_date=dt.date(2020, 1, 1), source="dbs"))
        record(None, "holder.create", holder)
        db.session.commit()
    caplog.set_level(logging.INFO, logger="licensing")
    client.post("/auth/login", data={"email": users["officer"], "password": "wrong Zebedee-Sentinel"})
    login(client, users["officer"])
    client.get("/holders/?q=Zebedee-Sentinel")
    client.get("/no-such-page?name=Zebedee-Sentinel")
    cookie = client.get_cookie("session").value
    text = "\n".join(r.getMessage() + json.dumps(getattr(r, "fields", {}), default=str) for r in caplog.records)
    for sentinel in [*SENTINELS, cookie, users["officer"]]:
        assert sentinel not in text, sentinel
    requests = [r for r in caplog.records if r.getMessage() == "request"]
    assert any(r.fields["route"] == "/holders/" and r.fields["status"] == 200 for r in requests)
    from licensing.logs import JsonFormatter

    parsed = json.loads(JsonFormatter().format(requests[-1]))
    assert parsed["message"] == "request" and "request_id" in parsed


def test_every_response_carries_a_request_id(client):
    assert len(client.get("/auth/login").headers["X-Request-Id"]) == 16


def test_request_log_names_the_user_without_reloading_them_after_a_commit(app, client, users, caplog):
    """The holder page commits its intelligence-view audit row, which expires the user; the log
    line and the headers still know who it was, and no statement reloads the user."""
    import sqlalchemy as sa

    from licensing.models import User
    from tests.test_register_queries import counted_statements

    with app.app_context():
        holder = LicenceHolder(holder_ref="S2", first_name="Pat", last_name="Driver")
        db.session.add(holder)
        db.session.commit()
        holder_id = holder.id
        officer_id = db.session.scalar(sa.select(User.id).filter_by(email=users["officer"]))
    login(client, users["officer"])
    caplog.set_level(logging.INFO, logger="licensing")
    with counted_statements(app) as statements:
        response = client.get(f"/holders/{holder_id}")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    head_moved = "UPDATE audit_chain_head SET last_hash"
    commit_at = next(i for i, s in enumerate(statements) if s.lstrip().startswith(head_moved))
    assert not any(s.lstrip().startswith("SELECT users.") for s in statements[commit_at:]), statements[commit_at:]
    line = [r for r in caplog.records if r.getMessage() == "request"][-1]
    assert line.fields["user_id"] == officer_id and line.fields["route"] == "/holders/<int:holder_id>"

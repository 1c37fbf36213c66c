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

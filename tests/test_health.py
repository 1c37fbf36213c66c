"""/healthz reports the scheduler's last heartbeat and the outbox backlog, from the database, so
monitoring sees a stopped scheduler and mail piling up; the app servers stay in service."""

import datetime as dt

import sqlalchemy as sa

from licensing.extensions import db
from licensing.jobs.heartbeat import beat
from licensing.models import EmailStatus, OutboundEmail, SchedulerHeartbeat
from licensing.models.base import utcnow
from tests.conftest import build_app
from tests.support.training_data import make_driver


def _queue(holder, key, status):
    db.session.add(OutboundEmail(key=key, holder_id=holder.id, to_address="sam@drivers.example",
                                 subject="Reminder", body="Your licence", status=status))


def test_health_reports_the_heartbeat_and_the_outbox(database_url):
    app = build_app(database_url)
    client = app.test_client()
    body = client.get("/healthz").get_json()
    assert body["scheduler"] == {"state": "never", "last_heartbeat": None, "seconds_since": None}
    assert body["outbox"] == {"unsent": 0, "failed": 0}
    with app.app_context():
        started = utcnow() - dt.timedelta(hours=2)
        beat(db.engine, started)
        beat(db.engine, started)  # the second beat updates the one row
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SchedulerHeartbeat)) == 1
        today = dt.date.today()
        holder, _licence = make_driver("HB1", issued_on=today - dt.timedelta(days=300),
                                       expires_on=today + dt.timedelta(days=30))
        for n, status in enumerate([EmailStatus.QUEUED] * 3 + [EmailStatus.FAILED, EmailStatus.SENT]):
            _queue(holder, f"k{n}", status)
        db.session.commit()
    response = client.get("/healthz")
    body = response.get_json()
    assert response.status_code == 200 and body["status"] == "ok"
    assert body["scheduler"]["state"] == "ok" and body["scheduler"]["seconds_since"] <= 5
    assert body["scheduler"]["last_heartbeat"].endswith("Z")
    assert body["outbox"] == {"unsent": 3, "failed": 1}
    assert b"drivers.example" not in response.data  # counts only, no personal data

    with app.app_context():
        db.session.execute(sa.update(SchedulerHeartbeat).values(beat_at=utcnow() - dt.timedelta(minutes=10)))
        db.session.commit()
        db.engine.dispose()
    body = client.get("/healthz").get_json()
    assert body["scheduler"]["state"] == "late" and body["scheduler"]["seconds_since"] >= 600
    assert client.get("/healthz").status_code == 200  # a late scheduler does not take the server out

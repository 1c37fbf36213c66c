"""Licence status webhooks: queued on every status change, signed with a timestamp, delivered by
the job to a real local HTTP server, retried with back-off, and never sent to a revoked client."""

import datetime as dt
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa

from licensing.api.operations import revoke_client
from licensing.api.tokens import verify_signature
from licensing.api.webhooks import RETRY_MINUTES, SIGNATURE_HEADER, deliver_due
from licensing.extensions import db
from licensing.models import WebhookDelivery, WebhookStatus
from licensing.models.base import utcnow
from tests.support.api import client_token, granted_driver, suspend


class Receiver:
    """A local HTTP server that records what it is sent and answers `status`."""

    def __init__(self):
        self.received, self.status = [], 204
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the standard library's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append((dict(self.headers), body))
                self.send_response(outer.status)
                self.end_headers()

            def log_message(self, *args):
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


def _pending():
    return db.session.scalars(sa.select(WebhookDelivery).order_by(WebhookDelivery.id)).all()


def test_a_status_change_is_queued_signed_and_delivered(app, ctx, officer, receiver):
    client, _, secret = client_token(officer, scopes=["validity:read"], name="Rank marshals",
                                     webhook_url=receiver.url)
    client_token(officer, scopes=["register:read"], name="CRM without webhooks")
    licence = granted_driver(officer)  # applied -> active is a status change too
    suspend(officer, licence)
    queued = _pending()
    assert [json.loads(d.payload)["licence"]["status"] for d in queued] == ["active", "suspended"]
    assert {d.client_id for d in queued} == {client.id}
    counts = deliver_due(utcnow())
    db.session.commit()
    assert counts == {"delivered": 2, "retrying": 0, "failed": 0}
    headers, body = receiver.received[-1]
    assert verify_signature(secret, headers[SIGNATURE_HEADER], body, time.time())
    assert not verify_signature(secret, headers[SIGNATURE_HEADER], body + b" ", time.time())
    assert not verify_signature(secret, headers[SIGNATURE_HEADER], body, time.time() + 3600)  # replayed later
    event = json.loads(body)
    assert event["event"] == "licence.status_changed" == headers["Licensing-Event"]
    assert event["licence"] == {"licence_number": "DL0001", "licence_type": "private_hire_driver",
                                "status": "suspended", "previous_status": "active",
                                "expires_on": licence.expires_on.isoformat()}
    assert "Dana" not in body.decode() and "Driver" not in body.decode()
    assert {d.status for d in _pending()} == {WebhookStatus.DELIVERED}
    assert deliver_due(utcnow()) == {"delivered": 0, "retrying": 0, "failed": 0}  # each once


def test_failures_are_retried_with_back_off_then_marked_failed(app, ctx, officer, receiver):
    client_token(officer, scopes=["validity:read"], name="Rank marshals", webhook_url=receiver.url)
    licence = granted_driver(officer)
    db.session.execute(sa.delete(WebhookDelivery))
    suspend(officer, licence)
    receiver.status = 500
    now = utcnow()
    assert deliver_due(now)["retrying"] == 1
    delivery = _pending()[0]
    assert delivery.attempts == 1 and delivery.last_error == "HTTP 500"
    assert delivery.next_attempt_at == now + dt.timedelta(minutes=RETRY_MINUTES[0])
    assert deliver_due(now)["retrying"] == 0  # not due yet
    for wait in RETRY_MINUTES:
        now += dt.timedelta(minutes=wait)
        deliver_due(now)
    assert delivery.status == WebhookStatus.FAILED and delivery.attempts == len(RETRY_MINUTES) + 1
    assert len(receiver.received) == len(RETRY_MINUTES) + 1


def test_a_server_that_does_not_answer_costs_an_attempt_not_the_event(app, ctx, officer):
    client_token(officer, scopes=["validity:read"], name="Rank marshals", webhook_url="http://127.0.0.1:9/hooks")
    suspend(officer, granted_driver(officer))
    counts = deliver_due(utcnow())
    assert counts["delivered"] == 0 and counts["retrying"] == 2
    assert {d.last_error for d in _pending()} == {"ConnectionError"}


def test_a_revoked_client_gets_nothing_more(app, ctx, officer, receiver):
    client, _, _ = client_token(officer, scopes=["validity:read"], name="Rank marshals", webhook_url=receiver.url)
    licence = granted_driver(officer)
    revoke_client(officer, client, "Contract ended")
    suspend(officer, licence)
    assert _pending() == [] and deliver_due(utcnow())["delivered"] == 0
    assert receiver.received == []


@pytest.mark.clean_database  # the job's lock is taken on a second connection
def test_the_job_is_registered_and_runs(app, ctx, officer, receiver):
    from licensing.jobs import jobs
    from licensing.jobs.runner import run_job

    assert "deliver_webhooks" in jobs()
    client_token(officer, scopes=["validity:read"], name="Rank marshals", webhook_url=receiver.url)
    granted_driver(officer)
    run = run_job("deliver_webhooks")
    assert run.counts["delivered"] == 1
    assert len(receiver.received) == 1

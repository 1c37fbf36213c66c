"""The deployment: two gunicorn app servers and two scheduler processes sharing one PostgreSQL.

Both servers take work at once; both schedulers start with `--run-now`, so both try every job
straight away. Every job runs exactly once (job runs are recorded in the database), every
reminder reaches a real local SMTP server (aiosmtpd) exactly once, the standby scheduler takes
over when the first is stopped and runs no daily job again, SIGTERM stops a scheduler cleanly
and lets gunicorn finish a request already in flight, and /healthz answers on both servers.
"""

import datetime as dt
import email
import email.policy
import http.client
import os
import re
import signal
import socket
import subprocess
import time
import urllib.parse

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from bench.http_load import Client
from licensing.extensions import db
from licensing.jobs import jobs
from tests.conftest import TEST_PASSWORD, build_app, make_user, totp_code_for
from tests.support.postgres import _free_port
from tests.support.servers import BIN, ROOT, server_env, start_gunicorn, stop_gunicorn
from tests.support.training_data import make_driver, start_smtp

OFFICERS = ["officer-a@test.example.gov.uk", "officer-b@test.example.gov.uk"]
JOBS = set(jobs())
DAILY = {name for name, job in jobs().items() if job.trigger.get("trigger") == "cron"}


def _wait_for(condition, timeout=90, interval=0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("timed out waiting")


def _healthz(port):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/healthz")
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _csrf(client, path):
    status, _loc, page = client.request("GET", path)
    assert status == 200, (path, status)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.decode()).group(1)


def _create_holder(client, last_name):
    token = _csrf(client, "/holders/new")
    status, location, _ = client.request("POST", "/holders/new", {
        "csrf_token": token, "kind": "person", "first_name": "Dana", "last_name": last_name,
        "date_of_birth-day": "17", "date_of_birth-month": "5", "date_of_birth-year": "1980"})
    assert status == 302 and "/holders/" in location, (status, location)


def _start_scheduler(env, log_path):
    with open(log_path, "wb") as log:
        return subprocess.Popen(  # noqa: S603 - fixed argument list
            [os.path.join(BIN, "flask"), "scheduler", "run", "--run-now"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _runs(engine):
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT name, status, error FROM job_runs ORDER BY id")).all()


def _succeeded(engine):
    counts = dict.fromkeys(JOBS, 0)
    for name, status, _error in _runs(engine):
        if status == "succeeded":
            counts[name] += 1
    return counts


def _read(path):
    with open(path) as handle:
        return handle.read()


def _stop(process, timeout=60):
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=timeout)


@pytest.mark.slow
def test_two_servers_and_two_schedulers_on_one_postgresql(postgres, tmp_path):
    url = postgres.create_database("deployment")
    app = build_app(url)
    today = dt.date.today()
    with app.app_context():
        upgrade()
        for address in OFFICERS:
            make_user("officer", email=address, clearance=True)
        for n in range(6):  # licences running out within the reminder lead times
            make_driver(f"REM{n}", issued_on=today - dt.timedelta(days=700),
                        expires_on=today + dt.timedelta(days=5 + 9 * n), email=f"rem{n}@drivers.example")
        db.session.commit()
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    controller, inbox = start_smtp()
    mail = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": controller.port, "SMTP_SECURITY": "none",  # a plain local relay
            "MAIL_FROM": "licensing@council.example"}
    ports = [_free_port(), _free_port()]
    servers = [start_gunicorn(url, port, workers=2, threads=2, extra_env=mail, log_path=str(tmp_path / f"web{i}.log"))
               for i, port in enumerate(ports)]
    schedulers = []
    try:
        # Both servers answer the health check from the database.
        for port in ports:
            status, body = _healthz(port)
            assert status == 200 and b'"database":"ok"' in body.replace(b" ", b"")

        # Work on both servers at once: each officer signs in on one server and creates holders;
        # each server sees what the other wrote.
        clients = []
        for address, port in zip(OFFICERS, ports, strict=True):
            client = Client(port)
            client.sign_in(address, TEST_PASSWORD, lambda a=address: totp_code_for(app, a))
            clients.append(client)
        for n in range(4):
            for index, client in enumerate(clients):
                _create_holder(client, f"Server{index}Holder{n}")
        for index, client in enumerate(clients):
            other = 1 - index
            status, _loc, page = client.request("GET", f"/holders/?q=server{other}holder")
            assert status == 200 and page.decode().count(f"Server{other}Holder") >= 4
            status, _loc, body = client.request("GET", "/session-status")
            assert status == 200 and b'"signed_in":true' in body.replace(b" ", b"")
        with engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT count(*) FROM audit_events WHERE action = 'holder.create'")) == 8

        # Two schedulers at once: one runs the schedule, the other waits as a standby.
        env = server_env(url, **mail)
        logs = [tmp_path / "scheduler0.log", tmp_path / "scheduler1.log"]
        schedulers = [_start_scheduler(env, logs[0]), _start_scheduler(env, logs[1])]
        _wait_for(lambda: all(_succeeded(engine)[job] >= 1 for job in JOBS))
        _wait_for(lambda: any("standby" in _read(path) for path in logs), timeout=30)
        time.sleep(3)  # give a second scheduler every chance to run something twice
        assert _succeeded(engine) == dict.fromkeys(JOBS, 1)
        with engine.connect() as conn:
            sent = conn.execute(sa.text("SELECT key FROM outbound_emails WHERE status = 'sent'")).scalars().all()
            queued = conn.scalar(sa.text("SELECT count(*) FROM outbound_emails WHERE status != 'sent'"))
        assert len(sent) >= 6 and queued == 0
        keys = [str(email.message_from_string(content, policy=email.policy.default)["X-Licensing-Key"])
                for _rcpts, content in inbox.messages]
        assert sorted(keys) == sorted(sent) and len(set(keys)) == len(keys)  # each reminder exactly once

        # Stop the leader with SIGTERM: it stops cleanly; the standby takes over and runs no daily job again.
        leader = next(i for i, path in enumerate(logs) if "Scheduler started" in _read(path))
        assert _stop(schedulers[leader]) == 0
        assert "Scheduler stopped" in _read(logs[leader])
        standby = 1 - leader
        _wait_for(lambda: "Scheduler started" in _read(logs[standby]), timeout=30)
        _wait_for(lambda: {name for name, status, error in _runs(engine)
                           if status == "skipped" and error == "Already ran for this date."} == DAILY)
        _wait_for(lambda: _succeeded(engine)["send_reminders"] == 2)
        counts = _succeeded(engine)
        assert {"expiry_scan", "retention"} <= DAILY and all(counts[name] == 1 for name in DAILY)
        assert len(inbox.messages) == len(sent)  # nothing sent twice
        assert _stop(schedulers[standby]) == 0
        assert "Scheduler stopped" in _read(logs[standby])

        # Graceful shutdown: a request already in flight when gunicorn gets SIGTERM still completes.
        token = _csrf(clients[0], "/holders/new")
        body = urllib.parse.urlencode({"csrf_token": token, "kind": "person", "first_name": "Dana",
                                       "last_name": "InFlight", "date_of_birth-day": "1",
                                       "date_of_birth-month": "2", "date_of_birth-year": "1970"}).encode()
        cookies = "; ".join(f"{k}={v}" for k, v in clients[0].cookies.items())
        clients[0].close()
        head = (f"POST /holders/new HTTP/1.1\r\nHost: 127.0.0.1:{ports[0]}\r\nCookie: {cookies}\r\n"
                f"X-Forwarded-Proto: https\r\nReferer: https://127.0.0.1:{ports[0]}/holders/new\r\n"
                f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
                f"Connection: close\r\n\r\n").encode()
        with socket.create_connection(("127.0.0.1", ports[0]), timeout=30) as raw:
            raw.sendall(head + body[:10])
            time.sleep(1.0)  # the worker is now reading the body
            servers[0].send_signal(signal.SIGTERM)
            time.sleep(1.0)
            raw.sendall(body[10:])
            answer = b""
            while chunk := raw.recv(65536):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 302"), answer[:200]
        assert servers[0].wait(timeout=30) == 0
        with engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT count(*) FROM licence_holders WHERE last_name = 'InFlight'")) == 1
        assert _healthz(ports[1])[0] == 200  # the other server carries on
        with app.app_context():
            from licensing.audit import verify_chain

            checked, problems = verify_chain()
            assert problems == [] and checked > 8
            db.session.remove()
            db.engine.dispose()
    finally:
        for process in schedulers:
            if process.poll() is None:
                process.kill()
                process.wait()
        for server in servers:
            stop_gunicorn(server)
        controller.stop()
        engine.dispose()

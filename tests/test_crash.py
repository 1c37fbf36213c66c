"""No lost data after a crash (G6, G7).

The real application runs under gunicorn on a loopback port against a throwaway PostgreSQL
with fsync on. Officers create holders through the real form. Part-way, the gunicorn master
and its workers are killed with SIGKILL and restarted; separately, the PostgreSQL server is
killed with SIGKILL and restarted (crash recovery). A write counts as acknowledged when the
browser received the redirect after saving. Afterwards every acknowledged holder must exist
and every holder must have its audit row."""

import http.client
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from licensing.extensions import db
from tests.conftest import TEST_PASSWORD, build_app, make_user, totp_code_for
from tests.support.postgres import TemporaryPostgres, _free_port

WRITES = 1000
WRITERS = 4
EMAIL = "officer@test.example.gov.uk"
GUNICORN = os.path.join(os.path.dirname(sys.executable), "gunicorn")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Browser:
    """A minimal cookie-keeping HTTP client that does not follow redirects."""

    def __init__(self, port):
        self.port, self.cookies = port, {}

    def request(self, method, path, form=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            return response.status
        finally:
            connection.close()


class Gunicorn:
    def __init__(self, database_url):
        self.port = _free_port()
        self.env = {**os.environ, "LICENSING_ENV": "testing", "DATABASE_URL": database_url}
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [GUNICORN, "--workers", "2", "--threads", "2", "--bind", f"127.0.0.1:{self.port}", "wsgi:app"],
            cwd=ROOT, env=self.env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if Browser(self.port).request("GET", "/healthz") == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def kill(self):
        """SIGKILL to the master and every worker (one process group), as a power cut would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


def _sign_in(app, port):
    browser = Browser(port)
    assert browser.request("POST", "/auth/login", {"email": EMAIL, "password": TEST_PASSWORD}) == 302
    assert browser.request("POST", "/auth/two-factor", {"code": totp_code_for(app, EMAIL)}) == 302
    return browser


class Writers:
    """WRITERS threads creating holders until told to stop; records what was acknowledged."""

    def __init__(self, browsers, start, count):
        self.browsers, self.next, self.end = browsers, start, start + count
        self.acknowledged, self.failed, self.lock = [], 0, threading.Lock()

    def _take(self):
        with self.lock:
            if self.next >= self.end:
                return None
            self.next += 1
            return self.next - 1

    def _write(self, browser):
        while (number := self._take()) is not None:
            name = f"Crash{number:05d}"
            try:
                status = browser.request("POST", "/holders/new", {
                    "kind": "person", "first_name": "Dana", "last_name": name,
                    "date_of_birth-day": "17", "date_of_birth-month": "5", "date_of_birth-year": "1980",
                })
            except OSError:
                status = None
            with self.lock:
                if status == 302:
                    self.acknowledged.append(name)
                else:
                    self.failed += 1
                    time.sleep(0.05)

    def run_until(self, crash_after, crash):
        threads = [threading.Thread(target=self._write, args=(b,)) for b in self.browsers]
        for thread in threads:
            thread.start()
        while len(self.acknowledged) < crash_after and any(t.is_alive() for t in threads):
            time.sleep(0.005)
        crash()
        for thread in threads:
            thread.join()


def _check(url, acknowledged):
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        stored = set(conn.execute(sa.text("SELECT last_name FROM licence_holders")).scalars())
        unaudited = conn.execute(sa.text(
            "SELECT count(*) FROM licence_holders h WHERE NOT EXISTS (SELECT 1 FROM audit_events a "
            "WHERE a.entity_type = 'licence_holders' AND a.entity_id = h.id AND a.action = 'holder.create')"
        )).scalar_one()
    engine.dispose()
    return len(set(acknowledged) - stored), unaudited, len(stored)


@pytest.mark.slow
def test_acknowledged_writes_survive_app_and_database_crashes():
    server = TemporaryPostgres(fsync=True).start()
    web = None
    try:
        url = server.create_database("licensing_crash")
        app = build_app(url)
        with app.app_context():
            upgrade()
            make_user("officer", email=EMAIL)
            db.engine.dispose()
        web = Gunicorn(url).start()

        # 1. The application server is killed part-way, then restarted.
        half, quarter = WRITES // 2, WRITES // 4
        writers = Writers([_sign_in(app, web.port) for _ in range(WRITERS)], 0, quarter)
        writers.run_until(quarter // 2, web.kill)
        web.start()
        resumed = Writers([_sign_in(app, web.port) for _ in range(WRITERS)], quarter, quarter)
        resumed.run_until(0, lambda: None)
        app_acked = writers.acknowledged + resumed.acknowledged
        lost, unaudited, stored = _check(url, app_acked)
        print(f"\ncrash (gunicorn kill -9): {half} writes sent, {len(app_acked)} acknowledged, "
              f"{stored} stored, {lost} acknowledged lost, {unaudited} without audit row")
        assert (lost, unaudited) == (0, 0)

        # 2. The database server is killed part-way, then restarted (crash recovery).
        browsers = [_sign_in(app, web.port) for _ in range(WRITERS)]
        writers = Writers(browsers, half, quarter)
        writers.run_until(quarter // 2, server.kill)
        server.restart()
        resumed = Writers(browsers, half + quarter, quarter)
        resumed.run_until(0, lambda: None)
        db_acked = writers.acknowledged + resumed.acknowledged
        lost, unaudited, stored = _check(url, app_acked + db_acked)
        print(f"crash (postgres kill -9): {half} writes sent, {len(db_acked)} acknowledged, "
              f"{stored} stored in all, {lost} acknowledged lost, {unaudited} without audit row")
        assert (lost, unaudited) == (0, 0)
        # Writes resumed after each restart: the system recovered, not just kept what it had.
        assert resumed.acknowledged and len(db_acked) >= half * 0.7 and len(app_acked) >= half * 0.7
    finally:
        if web is not None and web.process.poll() is None:
            web.kill()
        server.stop()

"""The API's licence-validity lookup under load: `GET /api/v1/validity` by licence, badge and plate
number, with a client token, on gunicorn as shipped (deploy/gunicorn.conf.py: 2 workers x 4
threads), from 8 clients on loopback, each reconnecting every 25 requests.

    .venv/bin/python -m bench.api_validity [--holders 15000] [--seconds 20]

`make bench` runs it too (bench/run.py), after the officers' HTTP load, on the London population.
Target: >= 500 requests/s with p95 < 20 ms.

Why 8 clients: a closed loop of N clients keeps N requests in flight, so its mean latency is N
divided by the throughput (Little's law). 500 requests/s at a p95 under 20 ms is about 6 requests
in flight; 16 clients would need over 800 requests/s before their p95 could fall under 20 ms. The
16-client figure is printed too, for its throughput.
Why reconnect: a keep-alive connection stays with the worker that accepted it, and a burst of
connections opened at once is often accepted by one worker, leaving the other idle (the same
configuration measured 436 and 927 requests/s). Callers behind the council's proxy or on phones
come and go; reconnecting every 25 requests spreads them over both workers as the proxy would.
"""

import argparse
import http.client
import logging
import sys

import sqlalchemy as sa

from licensing.extensions import db

CLIENTS = 8
MANY_CLIENTS = 16
WORKERS = 2
THREADS = 4  # as deploy/gunicorn.conf.py
SAMPLE = 2000
RECONNECT_EVERY = 25


class TokenClient:
    """A caller sending a bearer token (as a rank marshal's app would), on a keep-alive connection
    that it closes after every `reconnect_every` requests."""

    def __init__(self, port, token, timeout=30, reconnect_every=RECONNECT_EVERY):
        self.port, self.timeout, self.reconnect_every = port, timeout, reconnect_every
        self.sent = 0
        self.headers = {"Authorization": f"Bearer {token}", "Connection": "keep-alive", "X-Forwarded-Proto": "https"}
        self.connection = None

    def request(self, method, path):
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.connection.request(method, path, headers=self.headers)
                response = self.connection.getresponse()
                body = response.read()
                self.sent += 1
                if self.sent % self.reconnect_every == 0:
                    self.close()
                return response.status, None, body
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def _lookups(app):
    """Paths asking about real licence, badge and plate numbers (and a few unknown ones)."""
    from licensing.models import Licence, Vehicle

    with app.app_context():
        licences = db.session.scalars(sa.select(Licence.licence_number).order_by(sa.func.random()).limit(SAMPLE)).all()
        badges = db.session.scalars(sa.select(Licence.badge_number).where(Licence.badge_number.is_not(None))
                                    .order_by(sa.func.random()).limit(SAMPLE)).all()
        plates = db.session.scalars(sa.select(Vehicle.plate_number).where(Vehicle.plate_number.is_not(None))
                                    .order_by(sa.func.random()).limit(SAMPLE)).all()
        db.session.remove()
    paths = ([f"/api/v1/validity?by=licence&number={n}" for n in licences]
             + [f"/api/v1/validity?by=badge&number={n}" for n in badges]
             + [f"/api/v1/validity?by=plate&number={n}" for n in plates])
    return paths or ["/api/v1/validity?by=licence&number=NONE"]


def _token(app):
    from licensing.api.operations import create_client

    with app.app_context():
        _client, token, _secret = create_client(None, "Benchmark rank marshals", ["validity:read"])
        db.session.commit()
        db.session.remove()
    return token


def measure_api_validity(app, url, seconds=20):
    """Rows for bench/run.py's table: throughput, p95 and errors of the validity lookup."""
    from bench.http_load import run_load
    from bench.run import Row
    from tests.support.postgres import _free_port
    from tests.support.servers import start_gunicorn, stop_gunicorn

    paths = _lookups(app)
    token = _token(app)

    def lookup(index, n):
        return paths[(index * 7919 + n) % len(paths)]

    port = _free_port()
    # One client token from one loopback address: the per-client API limit would stop the load.
    server = start_gunicorn(url, port, workers=WORKERS, threads=THREADS, extra_env={"RATE_LIMITS": "0"})
    try:
        clients = [TokenClient(port, token) for _ in range(MANY_CLIENTS)]
        # The floor: the health check, one small query per request through the same stack.
        floor = run_load(clients[:CLIENTS], lambda _index, _n: "/healthz", seconds)
        load = run_load(clients[:CLIENTS], lookup, seconds)
        many = run_load(clients, lookup, seconds)
        for client in clients:
            client.close()
    finally:
        stop_gunicorn(server)
    # An unknown number is an answer, not an error.
    errors = sum(run.errors - run.statuses.get(404, 0) for run in (load, many)) + floor.errors
    return [
        Row(f"API licence validity, {CLIENTS} clients, req/s", load.throughput, "req/s", floor.throughput,
            ">= 500 req/s", load.throughput >= 500, f"{load.requests:,} requests, {len(paths):,} numbers"),
        Row("API licence validity p95", load.percentile(95), "ms", floor.percentile(95), "< 20 ms",
            load.percentile(95) < 20),
        Row(f"API licence validity, {MANY_CLIENTS} clients, req/s", many.throughput, "req/s", None, "", None,
            f"p95 {many.percentile(95):.1f} ms"),
        Row("API licence validity errors", errors, "", None, "0", errors == 0,
            str({**load.statuses, **many.statuses}) if errors else ""),
    ]


def main(argv=None):
    from flask_migrate import upgrade

    from bench.run import build_population, print_table
    from licensing import create_app
    from tests.support.postgres import TemporaryPostgres

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--holders", type=int, default=15_000)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args(argv)
    logging.getLogger("licensing").setLevel(logging.WARNING)
    server = TemporaryPostgres(fsync=False).start()
    try:
        url = server.create_database("api_bench")
        app = create_app({"SQLALCHEMY_DATABASE_URI": url}, environ={"LICENSING_ENV": "testing"})
        with app.app_context():
            upgrade()
            db.engine.dispose()
        counts, _seconds = build_population(app, {"holders": args.holders})
        rows = measure_api_validity(app, url, args.seconds)
        print_table(f"API licence validity, {counts['holders']:,} holders", rows)
        sys.stdout.flush()
    finally:
        server.stop()


if __name__ == "__main__":
    main()

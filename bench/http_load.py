"""A small HTTP load generator: N threads, each with its own keep-alive connection and session.

Loopback only: the target is always 127.0.0.1 (a server this benchmark started itself). Each run is
bounded in time and in requests, and stops by itself.
"""

import http.client
import re
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
MAX_REQUESTS_PER_CLIENT = 200_000


class Client:
    """One signed-in user on one keep-alive connection; cookies kept by hand."""

    def __init__(self, port, timeout=30):
        self.port = port
        self.timeout = timeout
        self.cookies = {}
        self.connection = None

    def _connect(self):
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)

    def request(self, method, path, form=None):
        reused = self.connection is not None
        try:
            return self._request(method, path, form)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            if not reused:
                raise
            return self._request(method, path, form)  # the server had closed an idle keep-alive connection

    def _request(self, method, path, form=None):
        if self.connection is None:
            self._connect()
        # As behind the TLS-terminating proxy: gunicorn trusts X-Forwarded-Proto from loopback, so
        # the application sees HTTPS (secure cookies; CSRF checks the Referer on forms).
        headers = {"Connection": "keep-alive", "X-Forwarded-Proto": "https",
                   "Referer": f"https://127.0.0.1:{self.port}{path}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = None
            raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, val = pair.partition("=")
                self.cookies[key.strip()] = val.strip()
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
            self.connection = None
        return response.status, response.getheader("Location"), data

    def sign_in(self, email, password, code_for):
        """The real sign-in forms: password (with its CSRF token), then the authenticator code."""
        status, _loc, page = self.request("GET", "/auth/login")
        token = CSRF.search(page.decode()).group(1)
        status, location, _ = self.request("POST", "/auth/login",
                                           {"csrf_token": token, "email": email, "password": password})
        assert status == 302, f"sign-in refused: {status}"
        if location and location.endswith("/auth/two-factor"):
            _s, _l, page = self.request("GET", "/auth/two-factor")
            token = CSRF.search(page.decode()).group(1)
            status, location, _ = self.request("POST", "/auth/two-factor", {"csrf_token": token, "code": code_for()})
            assert status == 302 and location.endswith("/home"), f"second factor refused: {status} {location}"

    def close(self):
        if self.connection is not None:
            self.connection.close()


@dataclass
class LoadResult:
    seconds: float
    latencies: list = field(default_factory=list)
    errors: int = 0
    statuses: dict = field(default_factory=dict)

    @property
    def requests(self):
        return len(self.latencies)

    @property
    def throughput(self):
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p):
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def answered(status, location):
    """200, or a redirect to a page other than sign-in (a search naming one holder goes to them)."""
    return status == 200 or (status in (302, 303) and bool(location) and "/auth/" not in location)


def run_load(clients, paths_for, seconds, warmup=2.0):
    """Each client requests `paths_for(client_index, n)` in a loop for `seconds` (after a warm-up)."""
    result = LoadResult(seconds=seconds)
    lock = threading.Lock()
    start_at = time.perf_counter() + warmup
    stop_at = start_at + seconds

    def worker(index, client):
        local, errors, statuses = [], 0, {}
        for n in range(MAX_REQUESTS_PER_CLIENT):
            now = time.perf_counter()
            if now >= stop_at:
                break
            path = paths_for(index, n)
            began = time.perf_counter()
            try:
                status, location, _body = client.request("GET", path)
            except (OSError, http.client.HTTPException):
                status, location = "connection error", None
            took = time.perf_counter() - began
            if began >= start_at:
                local.append(took)
                statuses[status] = statuses.get(status, 0) + 1
                if not answered(status, location):
                    errors += 1
        with lock:
            result.latencies.extend(local)
            result.errors += errors
            for key, count in statuses.items():
                result.statuses[key] = result.statuses.get(key, 0) + count

    threads = [threading.Thread(target=worker, args=(i, c), daemon=True) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + warmup + 120)
    return result

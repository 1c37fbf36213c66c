"""A circuit breaker per outside service, and the retrying HTTP call every lookup goes through.

The breaker counts failed calls in a row (time-out, connection failure, 5xx, 429). After
BREAKER_FAILURES it opens: for BREAKER_RESET_SECONDS every call is refused at once, without
touching the network, so an officer gets the "record it by hand" message in milliseconds rather
than after a time-out per try. Then one call is let through (half open): success closes the
breaker, failure opens it again. State is per worker process, which is what a breaker needs: each
process learns of an outage by itself within a few calls.
"""

import threading
import time
from dataclasses import dataclass, field

import requests


class ServiceUnavailable(Exception):
    """The service could not answer: time-out, connection failure, 5xx, 429 or an open breaker."""


@dataclass
class CircuitBreaker:
    failures_to_open: int = 5
    reset_seconds: float = 60
    clock: object = time.monotonic
    failures: int = 0
    opened_at: float | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def state(self):
        if self.opened_at is None:
            return "closed"
        return "half_open" if self.clock() - self.opened_at >= self.reset_seconds else "open"

    def allow(self):
        return self.state != "open"

    def succeeded(self):
        with self._lock:
            self.failures, self.opened_at = 0, None

    def failed(self):
        with self._lock:
            self.failures += 1
            if self.failures >= self.failures_to_open or self.opened_at is not None:
                self.opened_at = self.clock()


_BREAKERS = {}
_BREAKERS_LOCK = threading.Lock()


def breaker_for(service, config):
    """The process's breaker for `service`, made with the configured thresholds on first use."""
    with _BREAKERS_LOCK:
        if service not in _BREAKERS:
            _BREAKERS[service] = CircuitBreaker(int(config.get("BREAKER_FAILURES") or 5),
                                                float(config.get("BREAKER_RESET_SECONDS") or 60))
        return _BREAKERS[service]


def reset_breakers():
    """Forget every breaker's state (tests, and after a configuration change)."""
    with _BREAKERS_LOCK:
        _BREAKERS.clear()


RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def call(service, config, method, url, *, session=None, sleep=time.sleep, **kwargs):
    """One HTTP request to `service` with the configured time-out and retries, through its breaker.
    Returns the response for any status the service gives as an answer (2xx, 4xx other than 429);
    raises ServiceUnavailable otherwise."""
    breaker = breaker_for(service, config)
    if not breaker.allow():
        raise ServiceUnavailable("breaker open")
    timeout = float(config.get("LOOKUP_TIMEOUT") or 5)
    retries = int(config.get("LOOKUP_RETRIES") or 0)
    http = session or requests
    reason = "no answer"
    for attempt in range(retries + 1):
        if attempt:
            sleep(min(0.25 * 2 ** (attempt - 1), 2))
        try:
            response = http.request(method, url, timeout=timeout, **kwargs)
        except requests.Timeout:
            reason = "time-out"
            continue
        except requests.RequestException as error:
            reason = type(error).__name__
            continue
        if response.status_code not in RETRY_STATUSES:
            breaker.succeeded()
            return response
        reason = f"HTTP {response.status_code}"
    breaker.failed()
    raise ServiceUnavailable(reason)

"""Rate limits and a cap on concurrent downloads, so that no one client can take every thread.

Flask-Limiter counts per client address (`request.remote_addr`, which is the real client only
with TRUSTED_PROXIES set behind a proxy). Its store is RATELIMIT_STORAGE_URI: `memory://` (the
default) counts in each worker process separately, so with N workers a client gets up to N times
a limit; a shared store (`redis://...`, `memcached://...`) holds one count across all workers.
"""

import threading

from flask import abort, current_app

from licensing.extensions import limiter, limits_off


def limit(setting, methods=None):
    """Decorate a view with the limit named by a config key (read per request, so tests and
    councils can change it); RATE_LIMITS=0 switches every limit off."""
    return limiter.limit(lambda: current_app.config[setting], methods=methods, exempt_when=limits_off)


def limit_api(blueprint, key_func=None):
    """The hook for a JSON API blueprint: every route in it shares RATELIMIT_API per address (or
    per the key `key_func` returns, such as the client's token). Call it before registering it."""
    limiter.limit(lambda: current_app.config["RATELIMIT_API"], key_func=key_func, exempt_when=limits_off)(blueprint)
    return blueprint


def _slots(name, size):
    slots = current_app.extensions.setdefault("download_slots", {})
    if name not in slots:
        slots[name] = threading.BoundedSemaphore(size)
    return slots[name]


def one_of_few(name, size, make_response):
    """Serve `make_response()` only while fewer than `size` of the same download are streaming in
    this worker process; otherwise answer 503 at once. The slot is freed when the body is done
    (or the client goes away), not when the view returns."""
    slot = _slots(name, size)
    if not slot.acquire(blocking=False):
        abort(503, description="Too many downloads of this file are running. Try again in a minute.")
    released = []

    def release():
        if not released:  # once, whichever comes first: the body's end or the server's close()
            released.append(True)
            slot.release()

    try:
        response = make_response()
    except BaseException:
        release()
        raise
    body = response.response

    def guarded():
        try:
            yield from body
        finally:
            release()

    response.response = guarded()
    response.call_on_close(release)
    return response

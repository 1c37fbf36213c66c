"""Structured (JSON) logs with a request id, and nothing personal in them.

Request lines carry the method, the route pattern (not the path, which can hold search terms
or references), the status, the duration and the user's numeric id — never query strings,
form data, cookies, e-mail addresses or record content.
"""

import json
import logging
import time
import uuid

from flask import g, request

from licensing.web.security import signed_in_user_id

LOGGER = logging.getLogger("licensing")


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = record.exc_info[0].__name__  # the type only: messages can hold data
        return json.dumps(entry, default=str)


def configure_logging(app):
    if not any(isinstance(h.formatter, JsonFormatter) for h in LOGGER.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
        LOGGER.addHandler(handler)
    LOGGER.setLevel(logging.INFO)
    LOGGER.propagate = True
    app.before_request(_start_request)
    app.after_request(_log_request)


def _start_request():
    g.request_id = uuid.uuid4().hex[:16]
    g.request_started = time.perf_counter()


def _log_request(response):
    started = g.get("request_started")
    user_id = signed_in_user_id()
    LOGGER.info("request", extra={"fields": {
        "request_id": g.get("request_id"),
        "method": request.method,
        "route": request.url_rule.rule if request.url_rule else "(unmatched)",
        "status": response.status_code,
        "ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
        "user_id": user_id,
    }})
    response.headers["X-Request-Id"] = g.get("request_id", "")
    return response

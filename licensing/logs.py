"""Structured (JSON) logs with a request or job id on every line, and nothing personal in them.

Every process (web workers, the scheduler, CLI commands, gunicorn's own loggers through
`deploy/gunicorn.conf.py`) writes one JSON object a line to standard error, with a UTC ISO-8601 time.

Request lines carry the method, the route pattern (not the path, which can hold search terms
or references), the status, the duration and the user's numeric id — never query strings,
form data, cookies, e-mail addresses or record content. An unhandled error is one line with its
traceback as frames only (file, line, function, source line): no local variables and no
exception message, which can quote a name or a SQL parameter.
"""

import contextvars
import datetime as dt
import json
import logging
import re
import time
import traceback
import uuid

from flask import g, request

from licensing.web.security import signed_in_user_id

LOGGER = logging.getLogger("licensing")
REQUEST_ID = contextvars.ContextVar("request_id", default=None)
JOB_ID = contextvars.ContextVar("job_id", default=None)
# A proxy's or load balancer's id is kept only if it is a plain token: nothing else reaches the logs.
INCOMING_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
SQL_PARAMETERS = re.compile(r"\s*\[parameters: .*?\](?=\s*(\(Background|\[SQL|$))", re.DOTALL)
SQL_BACKGROUND = re.compile(r"\s*\(Background on this error at: [^)]*\)")


def without_parameters(text):
    """An error's text without the bound values SQLAlchemy quotes in it (names, dates of birth...)."""
    text = SQL_PARAMETERS.sub("", text or "")
    return SQL_BACKGROUND.sub("", text).strip()


def utc_timestamp(created):
    return dt.datetime.fromtimestamp(created, dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def frames_only(exc_info):
    """The traceback of an exception and its causes, as Python prints it but with each exception
    named by its type alone."""
    _, error, _ = exc_info
    lines, seen = [], set()
    chain = []
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        chain.append(error)
        error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    for index, error in enumerate(reversed(chain)):
        if index:
            lines.append("\nThe above exception led to the following exception:\n\n")
        lines.append("Traceback (most recent call last):\n")
        lines.extend(traceback.StackSummary.extract(traceback.walk_tb(error.__traceback__),
                                                    capture_locals=False).format())
        lines.append(f"{type(error).__module__}.{type(error).__qualname__}\n")
    return "".join(lines)


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": utc_timestamp(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage() if record.name != "gunicorn.access" else "access",
        }
        request_id = getattr(record, "request_id", None) or REQUEST_ID.get()
        job_id = getattr(record, "job_id", None) or JOB_ID.get()
        if request_id:
            entry["request_id"] = request_id
        if job_id:
            entry["job_id"] = job_id
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            entry.update(_access_fields(record.args))
        entry.update(getattr(record, "fields", {}))
        if record.exc_info and record.exc_info[1] is not None:
            entry["error_type"] = type(record.exc_info[1]).__name__
            entry["traceback"] = frames_only(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def _access_fields(atoms):
    """gunicorn's access line as fields: no path, query string, referrer or user agent."""

    def atom(name):
        try:
            value = atoms[name]  # gunicorn's atoms answer "-" for what is missing
        except KeyError:
            return None
        return None if value in (None, "-") else value

    duration = atom("D")
    return {"method": atom("m"), "status": atom("s"), "ms": round(int(duration) / 1000, 1) if duration else None,
            "bytes": atom("B"), "request_id": atom("{x-request-id}o")}


_make_record = logging.getLogRecordFactory()


def _stamped_record(*args, **kwargs):
    """Each record keeps the request or job id of the moment it was made (a line may be written
    later, by a queued handler or a test)."""
    record = _make_record(*args, **kwargs)
    record.request_id, record.job_id = REQUEST_ID.get(), JOB_ID.get()
    return record


def _not_a_request_line(record):
    """The development server's own access line quotes the path and query string; ours replaces it."""
    return " HTTP/" not in record.getMessage()


def install_json_handler(level=logging.INFO):
    """One JSON handler on the root logger, so every library's lines (APScheduler, Werkzeug,
    SQLAlchemy, gunicorn) come out the same way."""
    if logging.getLogRecordFactory() is not _stamped_record:
        logging.setLogRecordFactory(_stamped_record)
    root = logging.getLogger()
    if not any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
    if root.level > level or root.level == logging.NOTSET:
        root.setLevel(level)
    LOGGER.setLevel(level)
    LOGGER.propagate = True
    werkzeug = logging.getLogger("werkzeug")
    if _not_a_request_line not in werkzeug.filters:
        werkzeug.addFilter(_not_a_request_line)
    # A library's own text handler would print the same line again; deploy/gunicorn.conf.py gives
    # gunicorn's loggers a JSON handler of their own, which stays.
    for name in ("werkzeug", "gunicorn.error", "gunicorn.access", "apscheduler"):
        logger = logging.getLogger(name)
        if any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers):
            continue
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
        logger.propagate = True


def configure_logging(app):
    install_json_handler(getattr(logging, str(app.config.get("LOG_LEVEL", "INFO")).upper(), logging.INFO))
    # Flask's own "Exception on /path [GET]" line names the path; the 500 handler writes ours instead.
    app.log_exception = lambda exc_info: None
    app.before_request(_start_request)
    app.after_request(_log_request)
    app.teardown_request(_end_request)


def _start_request():
    incoming = request.headers.get("X-Request-Id", "")
    g.request_id = incoming if INCOMING_ID.fullmatch(incoming) else uuid.uuid4().hex[:16]
    g.request_id_token = REQUEST_ID.set(g.request_id)
    g.request_started = time.perf_counter()


def _end_request(_error=None):
    token = g.pop("request_id_token", None)
    if token is not None:
        try:
            REQUEST_ID.reset(token)
        except ValueError:  # set in another context (a streamed body): clear it instead
            REQUEST_ID.set(None)


def request_fields():
    return {"route": request.url_rule.rule if request.url_rule else "(unmatched)", "method": request.method}


def _log_request(response):
    started = g.get("request_started")
    user_id = signed_in_user_id()
    LOGGER.info("request", extra={"fields": {
        "request_id": g.get("request_id"),
        **request_fields(),
        "status": response.status_code,
        "ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
        "user_id": user_id,
    }})
    response.headers["X-Request-Id"] = g.get("request_id", "")
    return response


def log_unhandled(error, reference):
    """The one line for a 500: the reference shown on the error page, the request id, the route
    and the traceback as frames."""
    original = getattr(error, "original_exception", None) or error
    LOGGER.error("unhandled error", exc_info=(type(original), original, original.__traceback__), extra={"fields": {
        "request_id": g.get("request_id"),
        "reference": reference,
        **request_fields(),
        "user_id": signed_in_user_id(),
    }})

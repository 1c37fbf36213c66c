"""gunicorn settings for an app server (the container image and the systemd units use this file).

Every setting can be moved by an environment variable, so one file serves every installation.
gunicorn's error and access loggers write JSON lines (UTC times) through the same formatter as
the application. The access line holds the method, status, duration, size and request id only:
no path, query string, referrer or user agent, which can hold names and search terms.
"""

import os

wsgi_app = "wsgi:app"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two to four workers per core; threads let a worker wait on the database while serving others.
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A request in flight at SIGTERM is finished (deploys and restarts drop nothing).
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
keepalive = 5
# Heartbeat files on tmpfs: a worker blocked on disk is not killed by mistake.
SHARED_MEMORY = "/dev/shm"  # noqa: S108 - the tmpfs gunicorn documents for this, not a temp file
worker_tmp_dir = SHARED_MEMORY if os.path.isdir(SHARED_MEMORY) else None
# The TLS proxy in front is the only client; it passes the scheme in X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = "-"
errorlog = "-"
# Atoms only (read by licensing.logs.JsonFormatter); the request id is the one the app echoes.
access_log_format = "%(m)s %(s)s %(D)s %(B)s %({x-request-id}o)s"

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "licensing.logs.JsonFormatter"}},
    "handlers": {
        "json": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
    },
    "root": {"level": "INFO", "handlers": ["json"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["json"], "propagate": False, "qualname": "gunicorn.error"},
        "gunicorn.access": {"level": "INFO", "handlers": ["json"], "propagate": False,
                            "qualname": "gunicorn.access"},
    },
}

"""gunicorn settings for the service's own logs: `gunicorn -c gunicorn.conf.py wsgi:app`.

gunicorn's error and access loggers write JSON lines (UTC times) through the same formatter as
the application. The access line holds the method, status, duration, size and request id only:
no path, query string, referrer or user agent, which can hold names and search terms. Bind
address, workers and threads are for the deployment (command line or GUNICORN_CMD_ARGS)."""

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

"""Optional error tracking with the Sentry SDK, switched on by SENTRY_DSN alone.

Nothing personal is sent: no default personal data (user, address, cookies), no request
bodies, no local variables, and each event's request is cut to its method and route-free URL
without the query string."""

import logging

log = logging.getLogger("licensing")


def _scrub(event, _hint):
    request = event.get("request")
    if isinstance(request, dict):
        event["request"] = {"method": request.get("method"), "url": (request.get("url") or "").split("?", 1)[0]}
    event.pop("user", None)
    for value in (event.get("exception") or {}).get("values", []):
        # The message can quote a name or a SQL parameter; the type and frames are enough.
        value["value"] = ""
    return event


def init_error_tracking(app):
    dsn = app.config.get("SENTRY_DSN")
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.flask import FlaskIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[FlaskIntegration()],
        environment=app.config.get("ENV_NAME"),
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=0,
        before_send=_scrub,
    )
    log.info("error tracking on")
    return True

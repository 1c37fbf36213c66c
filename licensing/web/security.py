"""Security headers added to every response, and the per-request CSP nonce."""

import secrets

import sqlalchemy as sa
from flask import abort, current_app, g, request, session
from flask_login import AnonymousUserMixin


def csp_nonce():
    """A random nonce for the one inline script the GOV.UK template needs."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def content_security_policy():
    return (
        f"default-src 'self'; script-src 'self' 'nonce-{csp_nonce()}'; style-src 'self'; "
        "img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'"
    )


PUBLIC_ASSET_ENDPOINTS = frozenset({"static", "govuk_asset"})


def set_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy())
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    # Nothing a signed-in user sees is kept by the browser; the service's own stylesheets, scripts,
    # fonts and images are the same for everyone and may be cached like any static file.
    signed_in = session.get("_user_id") or signed_in_user_id()
    if signed_in and request.endpoint not in PUBLIC_ASSET_ENDPOINTS:
        headers["Cache-Control"] = "no-store"
    if current_app.config.get("ENV_NAME") == "production":
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def reject_nul_characters():
    """before_request: no legitimate input contains NUL, and PostgreSQL cannot store it."""
    for source in (request.args, request.form):
        for key, value in source.items(multi=True):
            if "\x00" in key or "\x00" in value:
                abort(400, description="The form contained a character that is not allowed.")


UPLOAD_OVERHEAD_BYTES = 256 * 1024


def limit_request_body():
    """before_request, first: refuse grossly oversized bodies with 413 before anything reads
    them; a file just over MAX_UPLOAD_BYTES still reaches its form and gets a field message."""
    request.max_content_length = current_app.config["MAX_UPLOAD_BYTES"] * 2 + UPLOAD_OVERHEAD_BYTES


def signed_in_user_id():
    """The id of the user this request signed in as, read without reloading the user: after a
    commit the user is expired, and asking `current_user` again would cost a query."""
    user = g.get("_login_user")
    if user is None or isinstance(user, AnonymousUserMixin):
        return None
    identity = sa.inspect(user).identity
    return identity[0] if identity else None


OUT_OF_RANGE = "A number or date in the request is out of range. Check it and try again."
# PostgreSQL's SQLSTATEs for a value the column or the calendar cannot hold.
RANGE_SQLSTATES = {"22003", "22008", "22009", "22015"}


def out_of_range(error):
    """errorhandler: an id, page or count beyond what the database holds, or a date beyond the
    calendar's end (9999-12-31 plus a day), came from the request: a 400 naming that, never a 500."""
    from sqlalchemy.exc import DataError

    from licensing.extensions import db

    if isinstance(error, DataError) and getattr(error.orig, "sqlstate", None) not in RANGE_SQLSTATES:
        raise error
    db.session.rollback()
    current_app.logger.warning("request refused: value out of range (%s)", type(error).__name__)
    from flask import render_template

    return render_template("errors/400.html", reason=OUT_OF_RANGE), 400


def register_bad_input_handlers(app):
    from sqlalchemy.exc import DataError

    app.register_error_handler(OverflowError, out_of_range)
    app.register_error_handler(DataError, out_of_range)

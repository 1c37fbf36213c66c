"""Signing in with the council's identity provider (licensing/auth/sso.py): /auth/sso sends the
browser there, /auth/sso/callback comes back with a code, checks the signed ID token and signs in."""

from authlib.integrations.base_client.errors import OAuthError
from flask import Blueprint, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_user
from joserfc.errors import JoseError

from licensing.auth.sessions import start_session
from licensing.auth.sso import SingleSignOnRefused, enabled, provider, sign_in
from licensing.dbsetup import keep_refusal_record
from licensing.permissions import public
from licensing.web.limits import limit

bp = Blueprint("sso", __name__, url_prefix="/auth/sso")


@bp.route("")
@public
@limit("RATELIMIT_SIGN_IN")
def start():
    if not enabled(current_app.config):
        flash("Signing in with a council account is not set up here: sign in with your password.")
        return redirect(url_for("auth.login"))
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    return provider(current_app).authorize_redirect(url_for("sso.callback", _external=True))


@bp.route("/callback")
@public
@limit("RATELIMIT_SIGN_IN")
def callback():
    if not enabled(current_app.config):
        return redirect(url_for("auth.login"))
    try:
        token = provider(current_app).authorize_access_token()
    except (OAuthError, JoseError):  # refused by the provider, or an ID token that fails its checks
        flash("Signing in with your council account did not work. Try again.")
        return redirect(url_for("auth.login"))
    claims = token.get("userinfo") or {}
    try:
        user = sign_in(claims, current_app.config, request.remote_addr)
    except SingleSignOnRefused as refusal:
        keep_refusal_record()
        flash(refusal.message)
        return redirect(url_for("auth.login"))
    session.clear()
    login_user(user, remember=False)
    start_session()
    return redirect(url_for("main.home"))

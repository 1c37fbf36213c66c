import time
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from licensing.auth.forms import ChangePasswordForm, EnrolmentForm, LoginForm, SecondFactorForm
from licensing.auth.operations import (
    LoginRefused,
    authenticate,
    change_password,
    complete_login,
    load_user_by_session_token,
    login_wait,
    logout,
    record_failure,
    refused_for,
)
from licensing.auth.sessions import start_session
from licensing.auth.two_factor import (
    SecondFactorError,
    confirm_enrolment,
    new_secret,
    qr_code_data_uri,
    verify_second_factor,
)
from licensing.permissions import login_required, public
from licensing.web.limits import limit
from licensing.web.submit import refuse, submit

bp = Blueprint("auth", __name__, url_prefix="/auth")


def safe_next(target):
    """Only same-site relative paths are followed after sign-in."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


def _finish(user):
    target = session.get("pending_next")
    complete_login(user, request.remote_addr)
    session.clear()
    login_user(user, remember=False)
    start_session()
    if user.password_must_change:
        return redirect(url_for("auth.password"))
    return redirect(target or url_for("main.home"))


def _pending_user():
    """The user who has passed the password step in this browser in the last few minutes."""
    started = session.get("pending_at", 0)
    if time.time() - started > current_app.config["TWO_FACTOR_PENDING_SECONDS"]:
        return None
    token = session.get("pending_user")
    return load_user_by_session_token(token) if token else None


def _throttled(body, wait):
    response = current_app.make_response(body)
    if wait:
        response.status_code = 429
        response.headers["Retry-After"] = str(wait)
    return response


@bp.route("/login", methods=["GET", "POST"])
@public
@limit("RATELIMIT_SIGN_IN", methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    wait = 0
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data, request.remote_addr)
        except LoginRefused as refused:
            # The failure count and its audit row are kept, whatever the answer.
            refuse(form, refused, keep_record=True)
            wait = refused.wait_seconds
        else:
            session.clear()
            session["pending_next"] = safe_next(request.args.get("next"))
            if user.has_second_factor or current_app.config["REQUIRE_TWO_FACTOR"]:
                session["pending_user"] = user.session_token
                session["pending_at"] = time.time()
                return redirect(url_for("auth.two_factor" if user.has_second_factor else "auth.enrol"))
            return _finish(user)
    return _throttled(render_template("auth/login.html", form=form), wait)


@bp.route("/two-factor", methods=["GET", "POST"])
@public
@limit("RATELIMIT_SIGN_IN", methods=["POST"])
def two_factor():
    user = _pending_user()
    if user is None or not user.has_second_factor:
        flash("Sign in again to continue.")
        return redirect(url_for("auth.login"))
    form = SecondFactorForm()
    wait = 0
    if form.validate_on_submit():
        wait = login_wait(user, request.remote_addr)
        if wait:
            form.code.errors.append(refused_for(wait).message)
        else:
            try:
                verify_second_factor(user, form.code.data)
            except SecondFactorError as error:
                record_failure(user, request.remote_addr)
                refuse(form, error, "code", keep_record=True)
            else:
                return _finish(user)
    return _throttled(render_template("auth/two_factor.html", form=form), wait)


@bp.route("/two-factor/set-up", methods=["GET", "POST"])
@public
@limit("RATELIMIT_SIGN_IN", methods=["POST"])
def enrol():
    user = _pending_user()
    if user is None or user.has_second_factor:
        flash("Sign in again to continue.")
        return redirect(url_for("auth.login"))
    secret = session.setdefault("enrol_secret", new_secret())
    form = EnrolmentForm()
    if form.validate_on_submit():
        try:
            codes = confirm_enrolment(user, secret, form.code.data)
        except SecondFactorError as error:
            refuse(form, error, "code")
        else:
            response = _finish(user)
            return render_template("auth/recovery_codes.html", codes=codes, next_url=response.location)
    return render_template("auth/enrol.html", form=form, secret=secret,
                           qr_code=qr_code_data_uri(user, secret, current_app.config["SERVICE_NAME"]))


@bp.route("/logout", methods=["POST"])
@login_required
def logout_view():
    logout(current_user._get_current_object())
    logout_user()
    session.clear()
    flash("You have signed out.")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    form = ChangePasswordForm()

    def signed_out(_):
        logout_user()
        session.clear()
        flash("Your password has been changed. Sign in with your new password.", "success")
        return redirect(url_for("auth.login"))

    done = submit(form, lambda: change_password(current_user._get_current_object(), form.current_password.data,
                                                form.new_password.data, request.remote_addr,
                                                council=current_app.config["COUNCIL_NAME"]),
                  field="new_password", on_success=signed_out, keep_record=True)
    return done or render_template("auth/password.html", form=form,
                                   first_sign_in=current_user.password_must_change)

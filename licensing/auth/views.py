from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from licensing.auth import bp
from licensing.auth.forms import ChangePasswordForm, LoginForm
from licensing.auth.operations import AccountError, LoginRefused, authenticate, change_password, logout
from licensing.auth.sessions import start_session
from licensing.extensions import db
from licensing.permissions import login_required, public


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


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data)
        except LoginRefused as refused:
            db.session.commit()  # keep the failure count and its audit row
            form.password.errors.append(str(refused))
            status = 429 if refused.locked else 200
        else:
            db.session.commit()
            session.clear()
            login_user(user, remember=False)
            start_session()
            return redirect(safe_next(request.args.get("next")) or url_for("main.home"))
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout_view():
    logout(current_user._get_current_object())
    db.session.commit()
    logout_user()
    session.clear()
    flash("You have signed out.")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_password(current_user._get_current_object(), form.current_password.data,
                            form.new_password.data)
        except AccountError as error:
            db.session.rollback()
            form.new_password.errors.append(str(error))
        else:
            db.session.commit()
            logout_user()
            session.clear()
            flash("Your password has been changed. Sign in with your new password.")
            return redirect(url_for("auth.login"))
    return render_template("auth/password.html", form=form)

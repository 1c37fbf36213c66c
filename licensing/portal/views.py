"""The holder's own service, at /account: create an account, sign in, reset a password, link the
account to the licence record, and see what needs doing and by when."""

import datetime as dt

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for

from licensing.auth.views import safe_next
from licensing.permissions import public
from licensing.portal import operations as ops
from licensing.portal import queries
from licensing.portal.access import (
    end_online_session,
    holder_service,
    linked_holder_id,
    refuse_record,
    signed_in_account,
    start_online_session,
)
from licensing.portal.evidence import document_label, holder_can_send
from licensing.portal.forms import CodeForm, LinkForm, NewPasswordForm, ResetRequestForm, SignInForm, SignUpForm
from licensing.portal.training import courses_for, holder_bookings
from licensing.web.limits import limit
from licensing.web.submit import refuse, submit

bp = Blueprint("portal", __name__, url_prefix="/account")

CHECK_EMAIL = "check_email"


def _link(endpoint):
    return lambda token: url_for(endpoint, token=token, _external=True)


def _bookable(requirement):
    return bool(courses_for(requirement))


def _today():
    return dt.date.today()


@bp.route("/")
@holder_service
def home(account):
    if account.holder_id is None:
        return render_template("portal/not_linked.html", account=account, form=LinkForm(),
                               form_action=url_for("portal.link"))
    return render_template("portal/home.html", account=account, today=_today(),
                           overview=queries.overview(account.holder_id, _today()),
                           type_label=queries.licence_type_label, can_send=holder_can_send, kind_label=document_label,
                           can_book=_bookable, bookings=holder_bookings(account.holder_id))


@bp.route("/licences/<int:licence_id>")
@holder_service
def licence(account, licence_id):
    holder_id = linked_holder_id(account)
    found = queries.own_licence(holder_id, licence_id)
    if found is None:
        refuse_record(account, f"licence {licence_id} is not this holder's")
    overview = queries.overview(holder_id, _today())
    items = [item for item in overview.overdue + overview.due_soon + overview.later if item.licence_id == found.id]
    return render_template("portal/licence.html", account=account, licence=found, items=items,
                           type_label=queries.licence_type_label, can_send=holder_can_send, waiting=overview.waiting,
                           can_book=_bookable)


@bp.route("/create", methods=["GET", "POST"])
@public
@limit("RATELIMIT_SIGN_IN", methods=["POST"])
def sign_up():
    form = SignUpForm()
    done = submit(form, lambda: ops.sign_up(form.email.data, form.name.data, form.password.data,
                                            _link("portal.confirm_email")),
                  redirect_to=url_for("portal.check_email"))
    return done or render_template("portal/sign_up.html", form=form)


@bp.route("/check-your-email")
@public
def check_email():
    return render_template("portal/check_email.html")


@bp.route("/confirm/<token>")
@public
def confirm_email(token):
    try:
        ops.confirm_email(token)
    except ops.PortalError as error:
        return render_template("portal/link_expired.html", message=error.message)
    flash("Your email address is confirmed. Sign in to continue.", "success")
    return redirect(url_for("portal.sign_in"))


def _finish(account):
    target = session.pop("online_next", None)
    ops.complete_sign_in(account, request.remote_addr)
    start_online_session(account)
    return redirect(target or url_for("portal.home"))


@bp.route("/sign-in", methods=["GET", "POST"])
@public
@limit("RATELIMIT_SIGN_IN", methods=["POST"])
def sign_in():
    if signed_in_account() is not None:
        return redirect(url_for("portal.home"))
    form = SignInForm()
    if form.validate_on_submit():
        try:
            account = ops.check_password(form.email.data, form.password.data, request.remote_addr)
        except ops.PortalError as error:
            refuse(form, error, keep_record=True)  # the failure count outlasts the refusal
        else:
            session["online_next"] = safe_next(request.args.get("next"))
            if not current_app.config["PORTAL_EMAIL_CODE"] and account.verified_at is not None:
                return _finish(account)
            ops.send_sign_in_code(account, _link("portal.confirm_email"))
            if account.verified_at is None:
                return redirect(url_for("portal.check_email"))
            session["online_pending"] = {"token": account.session_token, "at": dt.datetime.now().timestamp()}
            return redirect(url_for("portal.sign_in_code"))
    return render_template("portal/sign_in.html", form=form)


def _pending_account():
    pending = session.get("online_pending") or {}
    if dt.datetime.now().timestamp() - pending.get("at", 0) > current_app.config["PORTAL_CODE_MINUTES"] * 60:
        return None
    return ops.account_by_session_token(pending.get("token"))


@bp.route("/sign-in/code", methods=["GET", "POST"])
@public
@limit("RATELIMIT_SIGN_IN", methods=["POST"])
def sign_in_code():
    account = _pending_account()
    if account is None:
        flash("Sign in again to continue.")
        return redirect(url_for("portal.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            ops.check_sign_in_code(account, form.code.data, request.remote_addr)
        except ops.PortalError as error:
            refuse(form, error, keep_record=True)
        else:
            return _finish(account)
    return render_template("portal/sign_in_code.html", form=form)


@bp.route("/sign-out", methods=["POST"])
@holder_service
def sign_out(account):
    ops.sign_out(account)
    end_online_session()
    flash("You have signed out.")
    return redirect(url_for("portal.sign_in"))


@bp.route("/reset-password", methods=["GET", "POST"])
@public
@limit("RATELIMIT_SIGN_IN", methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    done = submit(form, lambda: ops.request_password_reset(form.email.data, _link("portal.reset_password")),
                  redirect_to=url_for("portal.check_email"))
    return done or render_template("portal/reset_request.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@public
@limit("RATELIMIT_SIGN_IN", methods=["POST"])
def reset_password(token):
    if not ops.reset_link_valid(token):
        return render_template("portal/link_expired.html",
                               message="This link has expired or has already been used. Ask for a new one.")
    form = NewPasswordForm()
    done = submit(form, lambda: ops.reset_password(token, form.password.data),
                  redirect_to=url_for("portal.sign_in"),
                  message="Your password has been changed. Sign in with your new password.")
    return done or render_template("portal/reset_password.html", form=form)


@bp.route("/link", methods=["POST"])
@holder_service
def link(account):
    form = LinkForm()
    if form.validate_on_submit():
        try:
            ops.link_account(account, form.code.data, request.remote_addr)
        except ops.PortalError as error:
            refuse(form, error, keep_record=True)
        else:
            flash("Your account is now linked to your licence record.", "success")
            return redirect(url_for("portal.home"))
    return render_template("portal/not_linked.html", account=account, form=form,
                           form_action=url_for("portal.link")), 400

import datetime as dt

import sqlalchemy as sa
from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from licensing.admin.forms import AccountActionForm, AuditFilterForm, NewUserForm
from licensing.admin.operations import create_account, unlock
from licensing.admin.queries import audit_events, audit_facets
from licensing.auth import throttle
from licensing.auth.operations import set_enabled
from licensing.auth.two_factor import reset_second_factor
from licensing.extensions import db
from licensing.models import User
from licensing.permissions import Permission, get_or_404, requires
from licensing.web.paging import page_arg
from licensing.web.submit import submit

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/audit")
@requires(Permission.AUDIT_READ)
def audit():
    form = AuditFilterForm(request.args)
    actions, types = audit_facets()
    form.action.choices = [("", "Any action")] + [(a, a) for a in actions]
    form.entity_type.choices = [("", "Any record")] + [(t, t) for t in types]
    page = page_arg()
    filters = {}
    if form.validate():
        filters = {
            "action": form.action.data or None,
            "entity_type": form.entity_type.data or None,
            "date_from": form.date_from.data,
            "date_to": form.date_to.data + dt.timedelta(days=1) if form.date_to.data else None,
        }
    events, total = audit_events(**filters, page=page)
    return render_template("admin/audit.html", form=form, events=events, total=total, page=page)


@bp.route("/users")
@requires(Permission.USERS_ADMIN)
def users():
    rows = db.session.execute(sa.select(User).order_by(User.name)).scalars().all()
    return render_template("admin/users.html", users=rows, slowed=throttle.slowed_accounts([u.email for u in rows]))


@bp.route("/users/new", methods=["GET", "POST"])
@requires(Permission.USERS_ADMIN)
def new_user():
    form = NewUserForm()
    done = submit(
        form, lambda: create_account(current_user, form.email.data, form.name.data, form.role.data,
                                     form.clearance.data, post=form.post.data),
        field="email",
        on_success=lambda created: render_template("admin/user_created.html", user=created[0], password=created[1]))
    return done or render_template("admin/new_user.html", form=form)


ACCOUNT_ACTIONS = {
    "disable": ("Disable the account", lambda actor, user, reason: set_enabled(actor, user, False, reason)),
    "enable": ("Enable the account", lambda actor, user, reason: set_enabled(actor, user, True, reason)),
    "reset-two-factor": ("Reset the authenticator app", reset_second_factor),
    "unlock": ("End the account's sign-in delay", unlock),
}


@bp.route("/users/<int:user_id>/<any(disable, enable, 'reset-two-factor', unlock):action>",
          methods=["GET", "POST"])
@requires(Permission.USERS_ADMIN)
def account_action(user_id, action):
    user = get_or_404(User, user_id)
    title, operation = ACCOUNT_ACTIONS[action]
    form = AccountActionForm()
    done = submit(form, lambda: operation(current_user, user, form.reason.data), field="reason",
                  redirect_to=url_for("admin.users"), message=f"{title}: done for {user.name}.")
    return done or render_template("admin/account_action.html", form=form, user=user, title=title)

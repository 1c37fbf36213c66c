import datetime as dt

import sqlalchemy as sa
from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from licensing.admin.forms import AccountActionForm, AuditFilterForm, EditAccountForm, NewUserForm
from licensing.admin.operations import change_account, create_account, unlock
from licensing.admin.queries import audit_events, audit_facets, audit_names, staff_accounts
from licensing.auth import throttle
from licensing.auth.operations import set_enabled
from licensing.auth.two_factor import reset_second_factor
from licensing.extensions import db
from licensing.holders.queries.search import find_holder, lookup_message
from licensing.models import User
from licensing.permissions import Permission, get_or_404, requires
from licensing.text import audit_action_label, audit_changes, audit_record_label
from licensing.web.paging import page_arg
from licensing.web.submit import submit

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/audit")
@requires(Permission.AUDIT_READ)
def audit():
    form = AuditFilterForm(request.args)
    actions, types = audit_facets()
    form.action.choices = [("", "Any action")] + sorted(((a, audit_action_label(a)) for a in actions),
                                                        key=lambda choice: choice[1])
    form.entity_type.choices = [("", "Any record")] + [(t, audit_record_label(t)) for t in types]
    form.actor_id.choices = [("", "Anyone")] + [(str(uid), name) for uid, name in staff_accounts()]
    page = page_arg()
    filters = {}
    if form.validate():
        filters = {
            "action": form.action.data or None,
            "entity_type": form.entity_type.data or None,
            "actor_id": int(form.actor_id.data) if form.actor_id.data else None,
            "date_from": form.date_from.data,
            "date_to": form.date_to.data + dt.timedelta(days=1) if form.date_to.data else None,
        }
        if form.holder.data:
            holder, matches = find_holder(form.holder.data)
            if holder is None:
                form.holder.errors = [lookup_message(matches)]
            filters["holder_id"] = holder.id if holder else -1
    events, total = audit_events(**filters, page=page)
    people, holders = audit_names(events)
    return render_template("admin/audit.html", form=form, events=events, total=total, page=page, people=people,
                           holders=holders, changes=audit_changes, action_label=audit_action_label,
                           record_label=audit_record_label)


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


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@requires(Permission.USERS_ADMIN)
def edit_account(user_id):
    user = get_or_404(User, user_id)
    form = EditAccountForm()
    if request.method == "GET":
        form.version.data, form.role.data = user.version, user.role.value
        form.clearance.data, form.post.data = bool(user.has_clearance), user.post
    done = submit(form, lambda: change_account(current_user, user, role=form.role.data, clearance=form.clearance.data,
                                               post=form.post.data, reason=form.reason.data,
                                               version=int(form.version.data) if form.version.data else None),
                  field="role", redirect_to=url_for("admin.users"), message=f"Account of {user.name} saved.")
    return done or render_template("admin/edit_account.html", form=form, user=user)


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

import datetime as dt

import sqlalchemy as sa
from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_login import current_user

from licensing.auth.sessions import seconds_left
from licensing.extensions import db
from licensing.main.queries import dashboard_figures, operations_status
from licensing.main.today import admin_today, manager_today, officer_today, panel_today
from licensing.models import Role
from licensing.permissions import Permission, login_required, public

bp = Blueprint("main", __name__)


@bp.route("/")
@public
def index():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    return redirect(url_for("auth.login"))


@bp.route("/home")
@login_required
def home():
    """What needs doing today, for the signed-in user's role: an officer's cases, queue and
    hearings; a panel member's next hearings; a manager's headline measure; an admin's job runs
    and accounts."""
    today = dt.date.today()
    role = current_user.role
    context = {"today": today, "figures": None, "officer": None, "panel": None, "manager": None, "admin": None}
    if role == Role.OFFICER:
        context["officer"] = officer_today(current_user, today)
    elif role == Role.PANEL:
        context["panel"] = panel_today(current_user, today)
    elif role == Role.MANAGER:
        context["manager"] = manager_today(today)
    elif role == Role.ADMIN:
        context["admin"] = admin_today(today)
    if current_user.can(Permission.HOLDERS_READ):
        context["figures"] = dashboard_figures()
    return render_template("main/home.html", **context)


@bp.route("/healthz")
@public
def healthz():
    """For load balancers: 200 when this server can reach the database, 503 when not. It also
    reports the scheduler's last heartbeat and the outbox backlog for monitoring; a late scheduler
    does not fail the check, since the app servers still serve."""
    try:
        db.session.execute(sa.text("SELECT 1"))
        status = operations_status()
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok", **status)


@bp.route("/accessibility")
@public
def accessibility():
    return render_template("main/accessibility.html")


@bp.route("/session-status")
@login_required
def session_status():
    """For a page's 'you will be signed out soon' warning: seconds until this session ends (this
    request counts as activity). Also the trivial signed-in endpoint the HTTP benchmark measures."""
    return jsonify(signed_in=True, seconds_left=seconds_left())

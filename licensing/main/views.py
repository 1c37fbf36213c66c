import sqlalchemy as sa
from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_login import current_user

from licensing.auth.sessions import seconds_left
from licensing.extensions import db
from licensing.main.queries import dashboard_figures, operations_status
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
    figures = dashboard_figures() if current_user.can(Permission.HOLDERS_READ) else None
    return render_template("main/home.html", figures=figures)


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

from flask import redirect, render_template, url_for
from flask_login import current_user

from licensing.main import bp
from licensing.main.queries import dashboard_figures
from licensing.models import Role
from licensing.permissions import login_required, public


@bp.route("/")
@public
def index():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    return redirect(url_for("auth.login"))


@bp.route("/home")
@login_required
def home():
    figures = dashboard_figures() if current_user.role in (Role.OFFICER, Role.MANAGER, Role.ADMIN) else None
    return render_template("main/home.html", figures=figures)


@bp.route("/accessibility")
@public
def accessibility():
    return render_template("main/accessibility.html")

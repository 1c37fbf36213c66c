import datetime as dt

import sqlalchemy as sa
from flask import render_template, request

from licensing.admin import bp
from licensing.admin.forms import AuditFilterForm
from licensing.admin.queries import audit_events, audit_facets
from licensing.extensions import db
from licensing.models import User
from licensing.permissions import roles_required


@bp.route("/audit")
@roles_required("admin")
def audit():
    form = AuditFilterForm(request.args)
    actions, types = audit_facets()
    form.action.choices = [("", "Any action")] + [(a, a) for a in actions]
    form.entity_type.choices = [("", "Any record")] + [(t, t) for t in types]
    page = max(request.args.get("page", 1, type=int), 1)
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
@roles_required("admin")
def users():
    rows = db.session.execute(sa.select(User).order_by(User.name)).scalars().all()
    return render_template("admin/users.html", users=rows)

"""The officer's decision page for an application (the licence page links to it)."""

import datetime as dt

from flask import Blueprint, render_template, request, url_for

from licensing.decisions.forms import DecisionForm
from licensing.decisions.operations import decide_application, proposed_expiry
from licensing.holders.checks import missing_for_decision
from licensing.holders.operations.licences import pending_application
from licensing.models import CheckKind, DecisionCapacity, Licence
from licensing.permissions import Permission, get_or_404, requires
from licensing.web.submit import actor, submit

bp = Blueprint("decisions", __name__, url_prefix="/holders")


@bp.route("/licences/<int:licence_id>/decision", methods=["GET", "POST"])
@requires(Permission.REGISTER_WRITE)
def decide(licence_id):
    licence = get_or_404(Licence, licence_id)
    application = pending_application(licence)
    form = DecisionForm()
    if request.method == "GET":
        today = dt.date.today()
        form.version.data, form.decided_on.data, form.notice_date.data = licence.version, today, today
        if application is not None:
            form.expires_on.data = proposed_expiry(application, today)
    done = application is not None and submit(
        form, lambda: decide_application(
            actor(), application, outcome=form.outcome.data, capacity=DecisionCapacity.DELEGATED_OFFICER,
            decided_on=form.decided_on.data, reasons=form.reasons.data, expires_on=form.expires_on.data,
            safeguarding_or_road_safety=form.safeguarding_or_road_safety.data,
            service_method=form.service_method.data, notice_date=form.notice_date.data, version=form.version.data),
        redirect_to=url_for("holders.decided", licence_id=licence.id))
    return done or render_template("holders/decision_form.html", form=form, licence=licence, holder=licence.holder,
                                   application=application, missing=_missing(licence) if application else [])


def _missing(licence):
    """What stops a grant today, each with the kind of check that would put it right (or None)."""
    kinds = {kind.label: kind.value for kind in CheckKind}
    problems = missing_for_decision(licence, dt.date.today())
    return [(problem, kinds.get(problem.partition(":")[0])) for problem in problems]

"""The page for an officer's written warning, suspension or revocation with notice under delegated
powers (`licensing.revocations.delegated`): the form, check your answers, then confirm."""

from flask import render_template, request, url_for
from flask_login import current_user

from licensing.errors import DomainError
from licensing.extensions import db
from licensing.models import Licence, ReviewCase
from licensing.permissions import Permission, get_or_404, requires
from licensing.revocations import delegated, queries
from licensing.revocations.forms import DelegatedActionForm, offer_authorisers
from licensing.revocations.views import bp
from licensing.web.submit import posted_answers, show_error, submit


@bp.route("/licences/<int:licence_id>/delegated-action", methods=["GET", "POST"])
@requires(Permission.REVIEWS_WRITE)  # as immediate action: the officers who record enforcement decisions
def delegated_action(licence_id):
    """Form, check your answers, then confirm: the action is taken and its notice issued."""
    licence = get_or_404(Licence, licence_id)
    form = DelegatedActionForm()
    offer_authorisers(form, queries.authorisers(current_user))
    form.case_id.choices = [("", "No case")] + [(c.id, f"{c.reference}: {c.summary[:60]}")
                                                for c in queries.open_cases_for_holder(licence.holder_id)]
    if request.method == "GET":
        form.version.data = licence.version
        form.case_id.data = request.args.get("case_id", type=int)

    def fields():
        return dict(grounds=form.grounds.data, authorised_by_id=form.authorised_by_id.data,
                    case=db.session.get(ReviewCase, form.case_id.data) if form.case_id.data else None,
                    suspension_to=form.suspension_to.data, service_method=form.service_method.data,
                    version=form.version.data)

    if request.method == "POST" and request.form.get("step") != "confirm":
        if request.form.get("step") != "change" and form.validate_on_submit():
            try:
                checked = delegated.check_delegated_action(current_user, licence, form.kind.data, **fields())
            except DomainError as error:
                show_error(form, error, "kind")
            else:
                return render_template("revocations/delegated_action_check.html", form=form, licence=licence,
                                       checked=checked, answers=posted_answers())
        return render_template("revocations/delegated_action.html", form=form, licence=licence)
    done = submit(
        form, lambda: delegated.take_delegated_action(
            current_user, licence, form.kind.data, safeguarding_or_road_safety=form.safeguarding_or_road_safety.data,
            **fields()),
        field="kind", redirect_to=lambda action: url_for("revocations.action", action_id=action.id),
        message=lambda action: f"{action.kind.label} of licence {licence.licence_number} recorded; the notice is "
                               "ready")
    return done or render_template("revocations/delegated_action.html", form=form, licence=licence)


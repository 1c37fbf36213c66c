"""Complaints register, enforcement checks and issued letters; the form for an officer's immediate
action (the action itself lives in revocations)."""


from flask import current_app, render_template, request, url_for
from flask_login import current_user

from licensing.errors import DomainError
from licensing.extensions import db
from licensing.holders.queries.search import find_holder, lookup_message
from licensing.models import (
    Complaint,
    EnforcementCheck,
    IssuedLetter,
    Licence,
    ReviewCase,
)
from licensing.permissions import Permission, authorise, get_or_404, requires
from licensing.reviews import queries
from licensing.reviews.access import can_view_letter
from licensing.reviews.errors import ReviewError
from licensing.reviews.forms import (
    ComplaintForm,
    ComplaintUpdateForm,
    EnforcementCheckForm,
    LinkCaseForm,
)
from licensing.reviews.operations import registers as register_operations
from licensing.reviews.views import bp
from licensing.revocations import queries as action_queries
from licensing.revocations.forms import ImmediateActionForm, offer_authorisers
from licensing.revocations.immediate import check_immediate_action, take_immediate_action
from licensing.text import govuk_date
from licensing.web.downloads import attachment
from licensing.web.paging import page_arg, page_count
from licensing.web.submit import posted_answers, show_error, submit


def _holder_id(ref, field):
    if not (ref or "").strip():
        return None
    holder, matches = find_holder(ref)
    if holder is None:
        raise ReviewError(lookup_message(matches), field=field)
    return holder.id


def _vehicle_id(registration):
    if not (registration or "").strip():
        return None
    vehicle_id = queries.vehicle_id_by_registration(registration)
    if vehicle_id is None:
        raise ReviewError("No licensed vehicle has that registration", field="registration")
    return vehicle_id


@bp.route("/complaints")
@requires(Permission.REVIEWS_READ)
def complaints():
    per_page = current_app.config["PAGE_SIZE"]
    rows, total = queries.complaints(None, page_arg(), per_page)
    return render_template("reviews/complaints.html", complaints=rows, total=total, page=page_arg(),
                           pages=page_count(total, per_page))


@bp.route("/complaints/new", methods=["GET", "POST"])
@requires(Permission.REVIEWS_WRITE)
def new_complaint():
    form = ComplaintForm()

    def record():
        licence_id = None
        if (form.licence_number.data or "").strip():
            licence_id = queries.licence_id_by_number(form.licence_number.data)
            if licence_id is None:
                raise ReviewError("No licence has that number", field="licence_number")
        return register_operations.record_complaint(
            current_user, received_on=form.received_on.data, channel=form.channel.data,
            category=form.category.data, details=form.details.data,
            holder_id=_holder_id(form.holder_ref.data, "holder_ref"), licence_id=licence_id,
            vehicle_id=_vehicle_id(form.registration.data),
            complainant_name=form.complainant_name.data, complainant_contact=form.complainant_contact.data)

    done = submit(
        form, record, field="holder_ref",
        redirect_to=lambda complaint: url_for("reviews.complaint", complaint_id=complaint.id),
        message=lambda complaint: f"Complaint recorded; a response is due by {govuk_date(complaint.response_due_on)}")
    return done or render_template("reviews/new_complaint.html", form=form)


def _unfinished_cases(holder_id):
    if holder_id is None:
        return []
    return [c for c in queries.cases_for_holder(holder_id) if not c.is_finished]


def _render_complaint(complaint, update_form=None, link_form=None, failed=None):
    update_form = update_form or ComplaintUpdateForm(
        formdata=None, version=complaint.version, status=complaint.status.value,
        outcome=complaint.outcome.value if complaint.outcome else "")
    link_form = link_form or LinkCaseForm(formdata=None)
    link_form.case_id.choices = [("", "Open a new case")] + [
        (c.id, f"{c.reference}: {c.summary[:60]}") for c in _unfinished_cases(complaint.holder_id)]
    return render_template("reviews/complaint.html", complaint=complaint, update_form=update_form,
                           link_form=link_form, form=failed,
                           show_complainant=current_user.can(Permission.REVIEWS_WRITE)), 400 if failed else 200


@bp.route("/complaints/<int:complaint_id>")
@requires(Permission.REVIEWS_READ)
def complaint(complaint_id):
    return _render_complaint(get_or_404(Complaint, complaint_id))


@bp.route("/complaints/<int:complaint_id>/update", methods=["POST"])
@requires(Permission.REVIEWS_WRITE)
def update_complaint(complaint_id):
    complaint_row = get_or_404(Complaint, complaint_id)
    form = ComplaintUpdateForm()
    done = submit(
        form, lambda: register_operations.update_complaint(current_user, complaint_row, form.status.data,
                                                           form.outcome.data or None, version=form.version.data),
        field="status", redirect_to=url_for("reviews.complaint", complaint_id=complaint_row.id),
        message="Complaint updated")
    return done or _render_complaint(complaint_row, update_form=form, failed=form)


@bp.route("/complaints/<int:complaint_id>/case", methods=["POST"])
@requires(Permission.REVIEWS_WRITE)
def complaint_case(complaint_id):
    complaint_row = get_or_404(Complaint, complaint_id)
    form = LinkCaseForm()
    form.case_id.choices = [("", "Open a new case")] + [(c.id, c.reference) for c in
                                                         _unfinished_cases(complaint_row.holder_id)]
    done = submit(form, lambda: register_operations.complaint_to_case(current_user, complaint_row, form.case_id.data),
                  field="case_id", redirect_to=_case_url)
    return done or _render_complaint(complaint_row, link_form=form, failed=form)


def _case_url(case):
    return url_for("reviews.case", case_id=case.id)


@bp.route("/checks")
@requires(Permission.REVIEWS_READ)
def checks():
    per_page = current_app.config["PAGE_SIZE"]
    rows, total = queries.enforcement_checks(page_arg(), per_page)
    return render_template("reviews/checks.html", checks=rows, total=total, page=page_arg(),
                           pages=page_count(total, per_page))


@bp.route("/checks/new", methods=["GET", "POST"])
@requires(Permission.REVIEWS_WRITE)
def new_check():
    form = EnforcementCheckForm()
    form.officer_id.choices = [(u.id, u.name) for u in queries.officers()]
    if request.method == "GET":
        form.officer_id.data = current_user.id
    done = submit(
        form, lambda: register_operations.record_enforcement_check(
            current_user, checked_on=form.checked_on.data, check_type=form.check_type.data,
            officer_id=form.officer_id.data, result=form.result.data,
            vehicle_id=_vehicle_id(form.registration.data),
            driver_id=_holder_id(form.driver_ref.data, "driver_ref"), issues_found=form.issues_found.data,
            evidence=form.evidence.data, max_upload_bytes=current_app.config["MAX_UPLOAD_BYTES"]),
        field="checked_on", redirect_to=lambda check: url_for("reviews.check", check_id=check.id),
        message="Check recorded")
    return done or render_template("reviews/new_check.html", form=form)


@bp.route("/checks/<int:check_id>")
@requires(Permission.REVIEWS_READ)
def check(check_id):
    return _render_check(get_or_404(EnforcementCheck, check_id))


def _render_check(check_row, failed=None):
    return render_template("reviews/check.html", check=check_row, form=failed,
                           link_form=failed or LinkCaseForm(formdata=None),
                           vehicle_licence=queries.vehicle_licence(check_row.vehicle_id)), 400 if failed else 200


@bp.route("/checks/<int:check_id>/case", methods=["POST"])
@requires(Permission.REVIEWS_WRITE)
def check_case(check_id):
    check_row = get_or_404(EnforcementCheck, check_id)
    form = LinkCaseForm()
    form.case_id.choices = [("", "Open a new case")]
    done = submit(form, lambda: register_operations.check_to_case(current_user, check_row), field="case_id",
                  redirect_to=_case_url)
    return done or _render_check(check_row, failed=form)


@bp.route("/licences/<int:licence_id>/immediate-action", methods=["GET", "POST"])
@requires(Permission.REVIEWS_WRITE)
def immediate_action(licence_id):
    licence = get_or_404(Licence, licence_id)
    form = ImmediateActionForm()
    offer_authorisers(form, action_queries.authorisers(current_user))
    form.case_id.choices = [("", "No case")] + [(c.id, f"{c.reference}: {c.summary[:60]}")
                                                for c in _unfinished_cases(licence.holder_id)]
    if request.method == "GET":
        form.version.data = licence.version
        form.case_id.data = request.args.get("case_id", type=int)
    if request.method == "POST" and request.form.get("step") != "confirm":
        # Check before an irreversible action: a valid form is shown back for confirmation; "change
        # your answers" (or an invalid form) returns to the form with what was typed.
        if request.form.get("step") != "change" and form.validate_on_submit() and _acceptable(form, licence):
            return render_template("revocations/immediate_action_check.html", form=form, licence=licence,
                                   answers=posted_answers())
        return render_template("revocations/immediate_action.html", form=form, licence=licence)
    done = submit(
        form, lambda: take_immediate_action(
            current_user, licence, form.kind.data, grounds=form.grounds.data,
            public_safety_reason=form.public_safety_reason.data,
            police_information=form.police_information.data, authorised_by_id=form.authorised_by_id.data,
            case=db.session.get(ReviewCase, form.case_id.data) if form.case_id.data else None,
            interim_pending_hearing=form.interim_pending_hearing.data,
            suspension_to=form.suspension_to.data, version=form.version.data,
            safeguarding_or_road_safety=form.safeguarding_or_road_safety.data, taken_on=form.taken_on.data),
        field="kind", redirect_to=lambda action: url_for("revocations.action", action_id=action.id),
        message=lambda _: f"Licence {licence.licence_number} is now {licence.status.label.lower()}; "
                          "the notice is ready")
    return done or render_template("revocations/immediate_action.html", form=form, licence=licence)


def _acceptable(form, licence):
    """Whether the action would be taken as typed; if not, the refusal is shown at its field."""
    try:
        check_immediate_action(
            current_user, licence, form.kind.data, grounds=form.grounds.data,
            public_safety_reason=form.public_safety_reason.data, authorised_by_id=form.authorised_by_id.data,
            case=db.session.get(ReviewCase, form.case_id.data) if form.case_id.data else None,
            interim_pending_hearing=form.interim_pending_hearing.data, suspension_to=form.suspension_to.data,
            version=form.version.data, taken_on=form.taken_on.data)
    except DomainError as error:
        show_error(form, error, "kind")
        return False
    return True


@bp.route("/letters/<int:letter_id>")
@requires(Permission.REVIEWS_READ)
def letter(letter_id):
    row = get_or_404(IssuedLetter, letter_id)
    authorise(can_view_letter(current_user, row))
    return attachment(row.content, row.filename, "application/pdf")

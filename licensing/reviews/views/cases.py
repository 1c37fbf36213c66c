"""Review cases, conviction assessments, the policy review campaign and guidance editions."""


from flask import abort, current_app, render_template, request, url_for
from flask_login import current_user

from licensing.holders.queries.search import find_holder, lookup_message
from licensing.models import CaseDocument, CaseOrigin, CaseState, PolicyReviewCampaign, ReviewCase
from licensing.permissions import Permission, authorise, get_or_404, requires
from licensing.reviews import queries
from licensing.reviews.errors import ReviewError
from licensing.reviews.forms import (
    AssessForm,
    AssignForm,
    CampaignForm,
    CaseForm,
    DocumentFlagsForm,
    DocumentForm,
    GuidanceUploadForm,
    NoteForm,
    OpenCasesForm,
    TransitionForm,
)
from licensing.reviews.operations import cases as operations
from licensing.reviews.operations import guidance as policy_operations
from licensing.reviews.views import bp
from licensing.text import govuk_date
from licensing.web.downloads import attachment
from licensing.web.paging import page_arg, page_count, today, uploaded_bytes
from licensing.web.submit import submit


def _officer_choices(field):
    field.choices = [("", "Unassigned")] + [(u.id, u.name) for u in queries.officers()]


@bp.route("/")
@requires(Permission.REVIEWS_READ)
def queue():
    lists = queries.work_queue(current_user, today(), current_app.config["PAGE_SIZE"])
    return render_template("reviews/queue.html", lists=lists)


@bp.route("/cases")
@requires(Permission.REVIEWS_READ)
def cases():
    # Unknown filter values are ignored rather than sent to the database.
    state = request.args.get("state") if request.args.get("state") in {s.value for s in CaseState} else None
    origin = request.args.get("origin") if request.args.get("origin") in {o.value for o in CaseOrigin} else None
    work = request.args.get("work") if request.args.get("work") in queries.WORK_LISTS else None
    per_page = current_app.config["PAGE_SIZE"]
    sort = queries.case_sort(request.args.get("sort"), request.args.get("direction"))
    rows, total = queries.list_cases(state, origin, page_arg(), per_page, sort=sort,
                                     work=queries.work_lists(current_user, today())[work] if work else None)
    return render_template("reviews/cases.html", cases=rows, total=total, page=page_arg(), states=list(CaseState),
                           pages=page_count(total, per_page), state=state, origin=origin, sort=sort,
                           work=work, work_lists=queries.WORK_LISTS)


@bp.route("/cases/new", methods=["GET", "POST"])
@requires(Permission.REVIEWS_WRITE)
def new_case():
    form = CaseForm()
    _officer_choices(form.assigned_officer_id)

    def open_case():
        holder, matches = find_holder(form.holder_ref.data)
        if holder is None:
            raise ReviewError(lookup_message(matches), field="holder_ref")
        numbers = [n.strip() for n in (form.licence_numbers.data or "").split(",") if n.strip()]
        licences = queries.licences_by_number(numbers)
        if len(licences) != len(set(numbers)):
            raise ReviewError("One of the licence numbers was not found", field="licence_numbers")
        return operations.open_case(
            current_user, holder, form.origin.data, form.summary.data, licences=licences,
            assigned_officer_id=form.assigned_officer_id.data, priority=form.priority.data,
            due_on=form.due_on.data)

    if request.method == "GET" and request.args.get("holder_ref"):
        form.holder_ref.data = request.args["holder_ref"]
    done = submit(form, open_case, field="holder_ref", redirect_to=_case_url,
                  message=lambda case: f"Case {case.reference} opened")
    return done or render_template("reviews/new_case.html", form=form)


def _case_url(case, anchor=""):
    return url_for("reviews.case", case_id=case.id) + anchor


def _case_or_404(case_id, options=()):
    case = get_or_404(ReviewCase, case_id, options)
    authorise(case.can_view(current_user), "cannot view this case")
    return case


def _render_case(case, failed=None, **forms):
    transition = forms.get("transition_form") or TransitionForm(formdata=None, version=case.version)
    transition.set_choices(operations.allowed_moves(case))
    assign = forms.get("assign_form") or AssignForm(
        formdata=None, version=case.version, assigned_officer_id=case.assigned_officer_id,
        priority=case.priority.value, due_on=case.due_on)
    _officer_choices(assign.assigned_officer_id)
    context = queries.case_page(case)
    flags = {d.id: DocumentFlagsForm(formdata=None, prefix=f"doc{d.id}", version=d.version,
                                     disclose_to_panel=d.disclose_to_panel,
                                     disclosed_to_holder_on=d.disclosed_to_holder_on)
             for d in context["documents"]}
    if forms.get("flags_form") is not None:
        flags[forms["flags_doc_id"]] = forms["flags_form"]
    return render_template(
        "reviews/case.html", case=case, timeline=queries.case_timeline(case, context["notes"]), flags=flags,
        transition_form=transition, assign_form=assign,
        note_form=forms.get("note_form") or NoteForm(formdata=None),
        document_form=forms.get("document_form") or DocumentForm(formdata=None),
        assess_form=forms.get("assess_form") or AssessForm(formdata=None),
        form=failed, **context,
    ), 400 if failed else 200


@bp.route("/cases/<int:case_id>")
@requires(Permission.REVIEWS_READ)
def case(case_id):
    return _render_case(_case_or_404(case_id, queries.CASE_PAGE_OPTIONS))


@bp.route("/cases/<int:case_id>/transition", methods=["POST"])
@requires(Permission.REVIEWS_WRITE)
def transition(case_id):
    case = _case_or_404(case_id)
    form = TransitionForm()
    # Any state is accepted here so that the one transition table gives the refusal message.
    form.new_state.choices = [(s.value, s.label) for s in CaseState]
    done = submit(
        form, lambda: operations.transition(current_user, case, form.new_state.data, form.reason.data,
                                            outcome=form.outcome.data or None, version=form.version.data),
        field="new_state", redirect_to=_case_url(case), message=lambda _: f"Case is now {case.state.label.lower()}")
    return done or _render_case(case, failed=form, transition_form=form)


@bp.route("/cases/<int:case_id>/assign", methods=["POST"])
@requires(Permission.REVIEWS_WRITE)
def assign(case_id):
    case = _case_or_404(case_id)
    form = AssignForm()
    _officer_choices(form.assigned_officer_id)
    done = submit(
        form, lambda: operations.assign(current_user, case, form.assigned_officer_id.data, form.priority.data,
                                        form.due_on.data, version=form.version.data),
        field="assigned_officer_id", redirect_to=_case_url(case), message="Assignment saved")
    return done or _render_case(case, failed=form, assign_form=form)


@bp.route("/cases/<int:case_id>/notes", methods=["POST"])
@requires(Permission.REVIEWS_WRITE)
def add_note(case_id):
    case = _case_or_404(case_id)
    form = NoteForm()
    done = submit(form, lambda: operations.add_note(current_user, case, form.body.data), field="body",
                  redirect_to=_case_url(case, "#notes"))
    return done or _render_case(case, failed=form, note_form=form)


@bp.route("/cases/<int:case_id>/documents", methods=["POST"])
@requires(Permission.REVIEWS_WRITE)
def add_document(case_id):
    case = _case_or_404(case_id)
    form = DocumentForm()

    def add():
        content, name = uploaded_bytes(form.upload.data, current_app.config["MAX_UPLOAD_BYTES"])
        if content is None:
            raise ReviewError("Choose a file to upload", field="upload")
        return operations.add_document(current_user, case, form.title.data, name, content,
                                       disclose_to_panel=form.disclose_to_panel.data)

    # A refused upload keeps its upload_validation audit row.
    done = submit(form, add, field="upload", redirect_to=_case_url(case), message="Document uploaded",
                  keep_record=True)
    return done or _render_case(case, failed=form, document_form=form)


def _document_or_404(case_id, document_id):
    case = _case_or_404(case_id)
    document = get_or_404(CaseDocument, document_id)
    if document.case_id != case.id:
        abort(404)
    return case, document


@bp.route("/cases/<int:case_id>/documents/<int:document_id>")
@requires(Permission.REVIEWS_READ)
def download_document(case_id, document_id):
    _, document = _document_or_404(case_id, document_id)
    operations.record_download(current_user, document, "case")  # the edge commits it with the 200
    return attachment(document.content, operations.download_name(document), document.content_type)


@bp.route("/cases/<int:case_id>/documents/<int:document_id>/flags", methods=["POST"])
@requires(Permission.REVIEWS_WRITE)
def document_flags(case_id, document_id):
    case, document = _document_or_404(case_id, document_id)
    form = DocumentFlagsForm(prefix=f"doc{document.id}")
    done = submit(
        form, lambda: operations.set_document_flags(current_user, document, form.disclose_to_panel.data,
                                                    form.disclosed_to_holder_on.data, version=form.version.data),
        field="disclose_to_panel", redirect_to=_case_url(case), message="Disclosure saved")
    return done or _render_case(case, failed=form, flags_form=form, flags_doc_id=document_id)


@bp.route("/cases/<int:case_id>/assess", methods=["POST"])
@requires(Permission.REVIEWS_WRITE)
def assess(case_id):
    case = _case_or_404(case_id)
    form = AssessForm()
    done = submit(form, lambda: policy_operations.assess_for_case(current_user, case, form.as_at.data or today()),
                  field="as_at", redirect_to=_case_url(case, "#assessments"),
                  message="Convictions assessed against the guidance")
    return done or _render_case(case, failed=form, assess_form=form)


@bp.route("/campaigns")
@requires(Permission.REVIEWS_READ)
def campaigns():
    per_page = current_app.config["PAGE_SIZE"]
    rows, total = queries.campaigns(page_arg(), per_page)
    return render_template("reviews/campaigns.html", campaigns=rows, total=total, page=page_arg(),
                           pages=page_count(total, per_page))


@bp.route("/campaigns/new", methods=["GET", "POST"])
@requires(Permission.REVIEWS_WRITE)
def new_campaign():
    form = CampaignForm()
    done = submit(form, lambda: policy_operations.run_campaign(current_user, form.name.data, form.as_at.data),
                  field="as_at", redirect_to=lambda campaign: url_for("reviews.campaign", campaign_id=campaign.id))
    return done or render_template("reviews/new_campaign.html", form=form)


def _render_campaign(campaign_row, form=None):
    rows, total = queries.campaign_at_risk(campaign_row.id, page_arg(), 50)
    return render_template("reviews/campaign.html", campaign=campaign_row, at_risk=rows, total=total,
                           page=page_arg(), pages=page_count(total, 50), form=form or OpenCasesForm(formdata=None),
                           progress=queries.campaign_progress(campaign_row.id))


@bp.route("/campaigns/<int:campaign_id>")
@requires(Permission.REVIEWS_READ)
def campaign(campaign_id):
    return _render_campaign(get_or_404(PolicyReviewCampaign, campaign_id))


@bp.route("/campaigns/<int:campaign_id>/cases", methods=["POST"])
@requires(Permission.REVIEWS_WRITE)
def open_campaign_cases(campaign_id):
    campaign_row = get_or_404(PolicyReviewCampaign, campaign_id)
    form = OpenCasesForm()

    def open_cases():
        ids = queries.unopened_assessment_ids(campaign_row.id) if form.open_all.data else form.assessment_ids.data
        return policy_operations.open_campaign_cases(current_user, campaign_row, ids)

    done = submit(form, open_cases, field="assessment_ids",
                  redirect_to=url_for("reviews.campaign", campaign_id=campaign_row.id),
                  message=lambda opened: f"{len(opened)} case{'s' if len(opened) != 1 else ''} opened")
    return done or (_render_campaign(get_or_404(PolicyReviewCampaign, campaign_id), form), 400)


@bp.route("/policy/convictions", methods=["GET", "POST"])
@requires(Permission.POLICY_WRITE)
def guidance():
    form = GuidanceUploadForm()

    def load():
        content, _ = uploaded_bytes(form.upload.data, current_app.config["MAX_UPLOAD_BYTES"])
        if content is None:
            raise ReviewError("Choose a guidance file", field="upload")
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            raise ReviewError("The guidance file must be UTF-8 JSON", field="upload") from None
        return policy_operations.load_edition(current_user, text)

    done = submit(form, load, field="upload", redirect_to=url_for("reviews.guidance"),
                  message=lambda row: f"Edition {row.edition} loaded, in force from {govuk_date(row.effective_from)}")
    return done or render_template("reviews/guidance.html", form=form, editions=queries.guidance_editions())

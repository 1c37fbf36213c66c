"""Safeguarding pages: a holder's non-conviction information and s.5 concerns, the information-
sharing log, NR3S match overrides and subject access review. Restricted pages need clearance and
every view of restricted information is audited."""

import datetime as dt

from flask import Blueprint, abort, render_template, url_for

from licensing.extensions import db
from licensing.models import (
    CheckKind,
    ComplianceCheck,
    IncomingConcern,
    ItemDecision,
    LicenceHolder,
    NonConvictionInformation,
    Nr3sMatchOverride,
    Nr3sRequest,
    RequestStatus,
    SubjectAccessItem,
    SubjectAccessRequest,
)
from licensing.permissions import Permission, get_or_404, requires
from licensing.policy.safeguarding import data_protection_on, exemption_choices, lawful_basis_choices
from licensing.safeguarding import queries
from licensing.safeguarding.errors import SafeguardingError
from licensing.safeguarding.forms import (
    ConcernDecisionForm,
    ConcernForm,
    FindingForm,
    ItemDecisionForm,
    NonConvictionForm,
    OverrideForm,
    ReleaseForm,
    SenderInformedForm,
    ShareForm,
    SubjectAccessForm,
)
from licensing.safeguarding.operations import disclosure, nr3s, records
from licensing.text import govuk_date
from licensing.web.downloads import attachment
from licensing.web.paging import page_arg, page_count
from licensing.web.submit import actor, submit

bp = Blueprint("safeguarding", __name__, url_prefix="/safeguarding")


def _holder_page(holder):
    return url_for("safeguarding.holder_information", holder_id=holder.id)


@bp.route("/holders/<int:holder_id>")
@requires(Permission.INTELLIGENCE_READ)
def holder_information(holder_id):
    holder = get_or_404(LicenceHolder, holder_id)
    records.record_restricted_view(actor(), holder, "non_conviction_information")
    db.session.flush()  # if the view cannot be recorded, the page is not shown
    return render_template("safeguarding/holder.html", holder=holder,
                           items=queries.holder_non_conviction(holder.id), concerns=queries.holder_concerns(holder.id),
                           shares=queries.holder_shares(holder.id))


@bp.route("/holders/<int:holder_id>/non-conviction/new", methods=["GET", "POST"])
@requires(Permission.INTELLIGENCE_WRITE)
def new_non_conviction(holder_id):
    holder = get_or_404(LicenceHolder, holder_id)
    form = NonConvictionForm()
    form.case_id.choices = queries.case_choices(holder.id)
    done = submit(form, lambda: records.record_non_conviction(actor(), holder, form.data),
                  redirect_to=_holder_page(holder), message="Non-conviction information recorded")
    return done or render_template("safeguarding/form.html", form=form, holder=holder,
                                   title="Record non-conviction information")


@bp.route("/non-conviction/<int:information_id>/finding", methods=["GET", "POST"])
@requires(Permission.INTELLIGENCE_WRITE)
def non_conviction_finding(information_id):
    row = get_or_404(NonConvictionInformation, information_id)
    form = FindingForm(obj=row)
    form.case_id.choices = queries.case_choices(row.holder_id)
    if not form.is_submitted():
        form.case_id.data = str(row.case_id or "")
    done = submit(form, lambda: records.record_finding(actor(), row, form.data),
                  redirect_to=_holder_page(row.holder), message="Finding recorded")
    return done or render_template("safeguarding/form.html", form=form, holder=row.holder,
                                   title=f"Finding: {row.kind.label.lower()} of {govuk_date(row.occurred_on)}")


@bp.route("/holders/<int:holder_id>/concerns/new", methods=["GET", "POST"])
@requires(Permission.INTELLIGENCE_WRITE)
def new_concern(holder_id):
    holder = get_or_404(LicenceHolder, holder_id)
    form = ConcernForm()
    form.licence_id.choices = queries.driver_licence_choices(holder.id)
    done = submit(form, lambda: nr3s.record_incoming_concern(actor(), holder, form.data),
                  redirect_to=lambda concern: url_for("safeguarding.concern", concern_id=concern.id),
                  message="Information received recorded")
    return done or render_template("safeguarding/form.html", form=form, holder=holder,
                                   title="Record s.5 information received from another authority")


@bp.route("/concerns")
@requires(Permission.INTELLIGENCE_READ)
def concerns():
    return render_template("safeguarding/concerns.html", concerns=queries.open_concerns(), today=dt.date.today())


def _render_concern(concern, decision_form=None, informed_form=None):
    decision_form = decision_form or ConcernDecisionForm()
    decision_form.case_id.choices = queries.case_choices(concern.holder_id)
    return render_template("safeguarding/concern.html", concern=concern, decision_form=decision_form,
                           informed_form=informed_form or SenderInformedForm())


@bp.route("/concerns/<int:concern_id>")
@requires(Permission.INTELLIGENCE_READ)
def concern(concern_id):
    row = get_or_404(IncomingConcern, concern_id)
    records.record_restricted_view(actor(), row.holder, "incoming_concerns")
    db.session.flush()
    return _render_concern(row)


@bp.route("/concerns/<int:concern_id>/decision", methods=["POST"])
@requires(Permission.INTELLIGENCE_WRITE)
def concern_decision(concern_id):
    row = get_or_404(IncomingConcern, concern_id)
    form = ConcernDecisionForm()
    form.case_id.choices = queries.case_choices(row.holder_id)
    done = submit(form, lambda: nr3s.record_concern_decision(actor(), row, form.data),
                  redirect_to=url_for("safeguarding.concern", concern_id=row.id), message="Decision recorded")
    return done or _render_concern(row, decision_form=form)


@bp.route("/concerns/<int:concern_id>/informed", methods=["POST"])
@requires(Permission.INTELLIGENCE_WRITE)
def concern_informed(concern_id):
    row = get_or_404(IncomingConcern, concern_id)
    form = SenderInformedForm()
    done = submit(form, lambda: nr3s.record_sender_informed(actor(), row, form.data),
                  redirect_to=url_for("safeguarding.concern", concern_id=row.id), message="Sender told")
    return done or _render_concern(row, informed_form=form)


# --- the information-sharing log -------------------------------------------------------------

@bp.route("/sharing")
@requires(Permission.INTELLIGENCE_READ)
def sharing_log():
    page = page_arg()
    rows, total = queries.sharing_log(page)
    records.record_restricted_view(actor(), None, "information_shares")
    db.session.flush()
    return render_template("safeguarding/sharing.html", rows=rows, page=page, pages=page_count(total, queries.PER_PAGE),
                           bases=data_protection_on(dt.date.today()).lawful_bases)


def _share(form):
    holder = None
    if form.holder_ref.data:
        holder = queries.holder_by_ref(form.holder_ref.data)
        if holder is None:
            raise SafeguardingError("No licence holder has this reference", field="holder_ref")
    return records.record_share(actor(), form.data, holder=holder)


@bp.route("/sharing/new", methods=["GET", "POST"])
@requires(Permission.INTELLIGENCE_WRITE)
def new_share():
    form = ShareForm()
    form.lawful_basis.choices = lawful_basis_choices(dt.date.today())
    done = submit(form, lambda: _share(form), redirect_to=url_for("safeguarding.sharing_log"),
                  message="Recorded in the information-sharing log")
    return done or render_template("safeguarding/form.html", form=form, holder=None,
                                   title="Record information shared or received")


# --- NR3S match override ---------------------------------------------------------------------

@bp.route("/nr3s/searches/<int:check_id>/override", methods=["GET", "POST"])
@requires(Permission.NR3S_OVERRIDE)
def nr3s_override(check_id):
    check = get_or_404(ComplianceCheck, check_id)
    if check.kind != CheckKind.NR3S_SEARCH:
        abort(404)
    form = OverrideForm()
    existing = db.session.query(Nr3sMatchOverride).filter_by(check_id=check.id).one_or_none()
    request_row = db.session.query(Nr3sRequest).filter_by(check_id=check.id).one_or_none()
    done = submit(form, lambda: nr3s.record_match_override(actor(), check, decided_on=form.decided_on.data,
                                                           reasons=form.reasons.data),
                  redirect_to=url_for("revocations.nr3s_search", check_id=check.id), message="Override recorded")
    return done or render_template("safeguarding/override.html", form=form, check=check, existing=existing,
                                   request_row=request_row)


# --- subject access ----------------------------------------------------------------------------

@bp.route("/subject-access", methods=["GET", "POST"])
@requires(Permission.SUBJECT_ACCESS_REVIEW)
def subject_access():
    form = SubjectAccessForm()

    def draft():
        holder = queries.holder_by_ref(form.holder_ref.data)
        if holder is None:
            raise SafeguardingError("No licence holder has this reference", field="holder_ref")
        return disclosure.draft_subject_access(actor(), holder, received_on=form.received_on.data)

    done = submit(form, draft, redirect_to=lambda request: url_for("safeguarding.subject_access_draft",
                                                                    sar_id=request.id),
                  message="Draft prepared: review every item before release")
    page = page_arg()
    rows, total = queries.subject_access_requests(page)
    return done or render_template("safeguarding/subject_access.html", form=form, rows=rows, page=page,
                                   pages=page_count(total, queries.PER_PAGE))


def _render_draft(request, item_forms=None, release_form=None):
    choices = exemption_choices(request.received_on)
    forms = {}
    for item in request.items:
        form = (item_forms or {}).get(item.id) or ItemDecisionForm(prefix=f"item{item.id}")
        form.exemption.choices = [("", "None")] + choices
        forms[item.id] = form
    return render_template("safeguarding/subject_access_draft.html", request_row=request, forms=forms,
                           views={item.id: disclosure.draft_view(item) for item in request.items},
                           exemptions=dict(choices), release_form=release_form or ReleaseForm(version=request.version),
                           pending=sum(1 for item in request.items if item.decision == ItemDecision.PENDING))


@bp.route("/subject-access/<int:sar_id>")
@requires(Permission.SUBJECT_ACCESS_REVIEW)
def subject_access_draft(sar_id):
    return _render_draft(get_or_404(SubjectAccessRequest, sar_id))


@bp.route("/subject-access/items/<int:item_id>", methods=["POST"])
@requires(Permission.SUBJECT_ACCESS_REVIEW)
def subject_access_item(item_id):
    item = get_or_404(SubjectAccessItem, item_id)
    form = ItemDecisionForm(prefix=f"item{item.id}")
    form.exemption.choices = [("", "None")] + exemption_choices(item.request.received_on)
    done = submit(form, lambda: disclosure.review_item(
        actor(), item, decision=form.decision.data, exemption=form.exemption.data,
        withheld_fields=form.withheld_fields.data, note=form.note.data),
        redirect_to=url_for("safeguarding.subject_access_draft", sar_id=item.request_id) + f"#item-{item.id}",
        message="Decision recorded")
    return done or _render_draft(item.request, item_forms={item.id: form})


@bp.route("/subject-access/<int:sar_id>/release", methods=["POST"])
@requires(Permission.SUBJECT_ACCESS_REVIEW)
def subject_access_release(sar_id):
    request = get_or_404(SubjectAccessRequest, sar_id)
    form = ReleaseForm()
    done = submit(form, lambda: disclosure.release(actor(), request, released_on=form.released_on.data,
                                                   version=form.version.data or None),
                  redirect_to=url_for("safeguarding.subject_access_draft", sar_id=request.id), message="Released")
    return done or _render_draft(request, release_form=form)


@bp.route("/subject-access/<int:sar_id>/release.json")
@requires(Permission.SUBJECT_ACCESS_REVIEW)
def subject_access_download(sar_id):
    request = get_or_404(SubjectAccessRequest, sar_id)
    if request.status != RequestStatus.RELEASED:
        abort(404)
    disclosure.record_release_download(actor(), request)
    return attachment(request.release_json.encode(), f"subject-access-{request.id}.json", "application/json")

"""Compliance checks with evidence, convictions and restricted intelligence."""


import datetime as dt

from flask import current_app, render_template, request, url_for

from licensing.compliance.due import policy_path
from licensing.extensions import db
from licensing.holders.access import can_download_evidence, can_read_intelligence
from licensing.holders.checks import CHECK_KIND_VALUES, results_for
from licensing.holders.evidence import record_download
from licensing.holders.forms import (
    FIELDS_FOR_KIND,
    CheckForm,
    CheckKindForm,
    ConvictionForm,
    EvidenceForm,
    IntelligenceForm,
    WithdrawForm,
)
from licensing.holders.operations.holders import (
    add_evidence,
    record_check,
    record_conviction,
    record_intelligence,
    record_intelligence_view,
)
from licensing.holders.operations.withdrawals import withdraw_check, withdraw_conviction
from licensing.holders.queries.holder_page import holder_intelligence, holder_licences
from licensing.holders.views import bp
from licensing.models import CheckKind, ComplianceCheck, Conviction, EvidenceDocument, LicenceHolder
from licensing.permissions import Permission, authorise, get_or_404, requires
from licensing.policy.requirements import edition_on
from licensing.text import govuk_date
from licensing.web.downloads import attachment
from licensing.web.formatting import requirement_label
from licensing.web.submit import actor, submit


def _holder_url(holder):
    return url_for("holders.show_holder", holder_id=holder.id)


@bp.route("/<int:holder_id>/checks/new", methods=["GET", "POST"])
@requires(Permission.REGISTER_WRITE)
def new_check(holder_id):
    """Record a check: first which check (?kind=), then the form built for that kind."""
    holder = get_or_404(LicenceHolder, holder_id)
    kind = request.form.get("kind") if request.method == "POST" else request.args.get("kind")
    if kind not in CHECK_KIND_VALUES:
        return _choose_kind(holder, asked=kind is not None or request.method == "POST")
    form = CheckForm()
    _for_kind(form, kind)
    form.licence_id.choices = [("", "The holder (not one licence)")] + [
        (str(lic.id), f"{lic.licence_number} ({lic.licence_type.label})") for lic in holder_licences(holder.id)
    ]
    if request.method == "GET":
        form.kind.data, form.result.data = kind, results_for(kind)[0].value
    max_bytes = current_app.config["MAX_UPLOAD_BYTES"]
    done = submit(form, lambda: record_check(actor(), holder, form.data, form.evidence.data, max_bytes),
                  redirect_to=_holder_url(holder), message=lambda check: f"{check.kind.label} recorded")
    return done or render_template("holders/check_form.html", form=form, holder=holder,
                                   kind_label=requirement_label(kind))


def _choose_kind(holder, asked):
    """The question before the form, so that the form offers only what the chosen check has."""
    form = CheckKindForm(formdata=None)
    form.kind.choices = [(k.value, requirement_label(k)) for k in CheckKind]
    if asked:
        form.kind.errors = ["Select the check you are recording"]
    else:
        form.kind.data = CheckKind.DBS_ENHANCED.value  # the commonest renewal, so often one click
    return render_template("holders/check_kind_form.html", form=form, holder=holder)


def _for_kind(form, kind):
    """Build the check form for `kind`: only the results the kind allows (the first chosen on a
    new form), only the fields that kind has (points and endorsements for a DVLA check, the
    barred lists for an enhanced DBS), and the policy's interval as the expiry hint."""
    form.result.choices = [(r.value, r.label) for r in results_for(kind)]
    for name, only_for in FIELDS_FOR_KIND.items():
        if only_for != kind:
            delattr(form, name)
    rule = edition_on(dt.date.today(), policy_path()).rules.get(kind)
    if rule is not None and rule.refresh_months:
        form.expires_on.description = (f"Leave blank if the certificate has no expiry date: the next one is then due "
                                       f"{rule.refresh_months} months after the date completed")


@bp.route("/checks/<int:check_id>/evidence", methods=["GET", "POST"])
@requires(Permission.REGISTER_WRITE)
def new_evidence(check_id):
    check = get_or_404(ComplianceCheck, check_id)
    holder = check.holder or check.licence.holder
    form = EvidenceForm()
    max_bytes = current_app.config["MAX_UPLOAD_BYTES"]
    done = submit(form, lambda: add_evidence(actor(), check, form.evidence.data, max_bytes),
                  redirect_to=_holder_url(holder), message="Evidence uploaded")
    return done or render_template("holders/evidence_form.html", form=form, holder=holder, check=check)


@bp.route("/evidence/<int:document_id>")
@requires(Permission.EVIDENCE_READ)
def download_evidence(document_id):
    document = get_or_404(EvidenceDocument, document_id)
    authorise(can_download_evidence(actor(), document), "evidence is for licensing officers")
    content, content_type, name = document.content, document.content_type, document.original_name
    record_download(actor(), document)  # committed by the edge with the 200, before the file is sent
    return attachment(content, name, content_type)


@bp.route("/<int:holder_id>/convictions/new", methods=["GET", "POST"])
@requires(Permission.REGISTER_WRITE)
def new_conviction(holder_id):
    holder = get_or_404(LicenceHolder, holder_id)
    form = ConvictionForm()
    done = submit(form, lambda: record_conviction(actor(), holder, form.data), redirect_to=_holder_url(holder),
                  message="Conviction recorded")
    return done or render_template("holders/conviction_form.html", form=form, holder=holder)


def _withdraw_page(item, holder, withdraw, noun, described):
    """The one page for withdrawing a record as entered in error: reason, warning, confirm."""
    form = WithdrawForm()
    if request.method == "GET":
        form.version.data = item.version
    done = submit(form, lambda: withdraw(actor(), item, form.reason.data, form.version.data),
                  redirect_to=_holder_url(holder), message=f"{noun.capitalize()} withdrawn as entered in error")
    return done or render_template("holders/withdraw_form.html", form=form, holder=holder, item=item,
                                   noun=noun, described=described)


@bp.route("/checks/<int:check_id>/withdraw", methods=["GET", "POST"])
@requires(Permission.REGISTER_WRITE)
def withdraw_check_page(check_id):
    check = get_or_404(ComplianceCheck, check_id)
    holder = check.holder or check.licence.holder
    described = f"{requirement_label(check.kind.value)} completed {govuk_date(check.completed_on)}"
    return _withdraw_page(check, holder, withdraw_check, "check", described)


@bp.route("/convictions/<int:conviction_id>/withdraw", methods=["GET", "POST"])
@requires(Permission.REGISTER_WRITE)
def withdraw_conviction_page(conviction_id):
    conviction = get_or_404(Conviction, conviction_id)
    authorise(actor().can(Permission.CONVICTIONS_READ), "convictions are for licensing officers")
    described = f"{conviction.offence} ({conviction.category.label}), {govuk_date(conviction.conviction_date)}"
    return _withdraw_page(conviction, conviction.holder, withdraw_conviction, "conviction", described)


def _authorise_intelligence(holder):
    authorise(can_read_intelligence(actor(), holder), "intelligence needs an officer with clearance")


@bp.route("/<int:holder_id>/intelligence")
@requires(Permission.INTELLIGENCE_READ)
def intelligence(holder_id):
    holder = get_or_404(LicenceHolder, holder_id)
    _authorise_intelligence(holder)
    record_intelligence_view(actor(), holder, "intelligence page")
    db.session.flush()  # if the view cannot be recorded, the page is not shown
    items = holder_intelligence(holder.id)
    return render_template("holders/intelligence.html", holder=holder, items=items)


@bp.route("/<int:holder_id>/intelligence/new", methods=["GET", "POST"])
@requires(Permission.INTELLIGENCE_WRITE)
def new_intelligence(holder_id):
    holder = get_or_404(LicenceHolder, holder_id)
    _authorise_intelligence(holder)
    form = IntelligenceForm()
    done = submit(form, lambda: record_intelligence(actor(), holder, form.data),
                  redirect_to=url_for("holders.intelligence", holder_id=holder.id), message="Intelligence recorded")
    return done or render_template("holders/intelligence_form.html", form=form, holder=holder)

"""Compliance checks with evidence, convictions and restricted intelligence."""


import datetime as dt

from flask import current_app, render_template, request, url_for

from licensing.compliance.due import policy_path
from licensing.extensions import db
from licensing.holders.access import can_download_evidence, can_read_intelligence
from licensing.holders.checks import results_for
from licensing.holders.evidence import record_download
from licensing.holders.forms import CheckForm, ConvictionForm, EvidenceForm, IntelligenceForm
from licensing.holders.operations.holders import (
    add_evidence,
    record_check,
    record_conviction,
    record_intelligence,
    record_intelligence_view,
)
from licensing.holders.queries.holder_page import holder_intelligence, holder_licences
from licensing.holders.views import bp
from licensing.models import CheckKind, ComplianceCheck, EvidenceDocument, LicenceHolder
from licensing.permissions import Permission, authorise, get_or_404, requires
from licensing.policy.requirements import edition_on
from licensing.web.downloads import attachment
from licensing.web.submit import actor, submit


def _holder_url(holder):
    return url_for("holders.show_holder", holder_id=holder.id)


@bp.route("/<int:holder_id>/checks/new", methods=["GET", "POST"])
@requires(Permission.REGISTER_WRITE)
def new_check(holder_id):
    holder = get_or_404(LicenceHolder, holder_id)
    form = CheckForm()
    form.licence_id.choices = [("", "The holder (not one licence)")] + [
        (str(lic.id), f"{lic.licence_number} ({lic.licence_type.label})") for lic in holder_licences(holder.id)
    ]
    if request.method == "GET":
        _check_defaults(form, request.args.get("kind"))
    max_bytes = current_app.config["MAX_UPLOAD_BYTES"]
    done = submit(form, lambda: record_check(actor(), holder, form.data, form.evidence.data, max_bytes),
                  redirect_to=_holder_url(holder), message=lambda check: f"{check.kind.label} recorded")
    return done or render_template("holders/check_form.html", form=form, holder=holder)


def _check_defaults(form, kind):
    """A new check form's defaults, valid for its kind: the kind asked for (?kind=, from a
    "record it" or "renew" link), only the results that kind allows with the first of them
    chosen, and the policy's interval as the expiry hint."""
    known = {k.value for k in CheckKind}
    if kind in known:
        form.kind.data = kind
        form.result.choices = [(r.value, r.label) for r in results_for(kind)]
    kind = form.kind.data if form.kind.data in known else form.kind.choices[0][0]
    form.result.data = results_for(kind)[0].value
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

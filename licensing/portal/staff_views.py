"""Officers' side of online accounts: issue the one-time code that links a holder's online account
to their record (for a letter or the counter). It is shown once and kept only as a hash."""

from flask import Blueprint, render_template, url_for

from licensing.audit import record
from licensing.holders.checks import results_for
from licensing.models import CheckKind, LicenceHolder, Permission, SubmittedEvidence
from licensing.permissions import get_or_404, requires
from licensing.portal import evidence
from licensing.portal.forms import AcceptEvidenceForm, IssueLinkCodeForm, RejectEvidenceForm
from licensing.portal.operations import issue_holder_link_code
from licensing.web.downloads import attachment
from licensing.web.submit import actor, submit

bp = Blueprint("online_accounts", __name__, url_prefix="/holders")


@bp.route("/<int:holder_id>/online-account/code", methods=["POST"])
@requires(Permission.REGISTER_WRITE)
def issue_code(holder_id):
    holder = get_or_404(LicenceHolder, holder_id)
    form = IssueLinkCodeForm()

    def shown(result):
        secret, link = result
        return render_template("portal/staff_link_code.html", holder=holder, code=secret, link=link)

    done = submit(form, lambda: issue_holder_link_code(actor(), holder), on_success=shown)
    if done is None:
        return render_template("errors/400.html"), 400
    return done


@bp.route("/online-documents")
@requires(Permission.REGISTER_WRITE)
def evidence_queue():
    return render_template("portal/staff_evidence_queue.html", waiting=evidence.waiting(),
                           count=evidence.waiting_count(), kind_label=evidence.document_label)


def _result_choices(submission):
    if submission.requirement in {kind.value for kind in CheckKind}:
        return [(r.value, r.label) for r in results_for(CheckKind(submission.requirement))]
    return [("accepted", "Accepted: it is what it should be")]


def _item_page(submission, accept_form=None, reject_form=None, status=200):
    accept_form = accept_form or AcceptEvidenceForm(data={
        "completed_on": submission.completed_on, "expires_on": submission.expires_on,
        "reference": submission.reference})
    accept_form.result.choices = _result_choices(submission)
    return render_template("portal/staff_evidence_item.html", submission=submission,
                           kind_label=evidence.document_label(submission.requirement),
                           accept_form=accept_form, reject_form=reject_form or RejectEvidenceForm(),
                           form=accept_form if accept_form.errors else reject_form), status


@bp.route("/online-documents/<int:submission_id>")
@requires(Permission.REGISTER_WRITE)
def evidence_item(submission_id):
    return _item_page(get_or_404(SubmittedEvidence, submission_id))


@bp.route("/online-documents/<int:submission_id>/file")
@requires(Permission.EVIDENCE_READ)
def evidence_file(submission_id):
    submission = get_or_404(SubmittedEvidence, submission_id)
    record(actor(), "online_evidence.download", submission)  # committed by the edge with the 200
    return attachment(submission.content, submission.original_name, submission.content_type)


@bp.route("/online-documents/<int:submission_id>/accept", methods=["POST"])
@requires(Permission.REGISTER_WRITE)
def accept(submission_id):
    submission = get_or_404(SubmittedEvidence, submission_id)
    form = AcceptEvidenceForm()
    form.result.choices = _result_choices(submission)
    done = submit(form, lambda: evidence.accept_evidence(actor(), submission, form.data),
                  redirect_to=url_for("online_accounts.evidence_queue"),
                  message="Accepted: the check is recorded with the document as its evidence")
    return done or _item_page(submission, accept_form=form, status=400)


@bp.route("/online-documents/<int:submission_id>/reject", methods=["POST"])
@requires(Permission.REGISTER_WRITE)
def reject(submission_id):
    submission = get_or_404(SubmittedEvidence, submission_id)
    form = RejectEvidenceForm()
    done = submit(form, lambda: evidence.reject_evidence(actor(), submission, form.reason.data),
                  redirect_to=url_for("online_accounts.evidence_queue"),
                  message="Not accepted: the holder has been told why")
    return done or _item_page(submission, reject_form=form, status=400)

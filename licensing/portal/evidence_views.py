"""The holder sends a document for a due requirement and follows what happens to it."""

import datetime as dt

from flask import Blueprint, render_template, request, url_for

from licensing.extensions import db
from licensing.models import SubmittedEvidence
from licensing.portal import queries
from licensing.portal.access import holder_service, linked_holder_id, refuse_record
from licensing.portal.evidence import document_label, due_item, holder_can_send, submit_evidence
from licensing.portal.forms import SendEvidenceForm
from licensing.portal.uploads import checked_upload
from licensing.web.submit import submit

bp = Blueprint("portal_evidence", __name__, url_prefix="/account")


@bp.route("/licences/<int:licence_id>/send/<requirement>", methods=["GET", "POST"])
@holder_service
def send(account, licence_id, requirement):
    holder_id = linked_holder_id(account)
    licence = queries.own_licence(holder_id, licence_id)
    if licence is None:
        refuse_record(account, f"licence {licence_id} is not this holder's")
    item = due_item(holder_id, licence.id, requirement, dt.date.today()) if holder_can_send(requirement) else None
    if item is None:
        refuse_record(account, f"licence {licence_id} has no {requirement} the holder can send")
    form = SendEvidenceForm()
    done = submit(form, lambda: submit_evidence(account, licence, requirement, form.data,
                                                checked_upload(request.files.get("document"))),
                  redirect_to=lambda sent: url_for("portal_evidence.sent", submission_id=sent.id))
    return done or render_template("portal/send_evidence.html", account=account, form=form, licence=licence,
                                   item=item, type_label=queries.licence_type_label)


@bp.route("/documents/<int:submission_id>")
@holder_service
def sent(account, submission_id):
    holder_id = linked_holder_id(account)
    submission = db.session.get(SubmittedEvidence, submission_id)
    if submission is None or submission.holder_id != holder_id:
        refuse_record(account, f"document {submission_id} is not this holder's")
    return render_template("portal/sent_evidence.html", account=account, submission=submission,
                           kind_label=document_label(submission.requirement))

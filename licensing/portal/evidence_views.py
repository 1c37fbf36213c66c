"""The holder acts on a due requirement: sends a document for it (and follows what happens to
it), or books a place on a training session that satisfies it."""

import datetime as dt

from flask import Blueprint, render_template, request, url_for

from licensing.extensions import db
from licensing.models import SubmittedEvidence
from licensing.portal import queries, training
from licensing.portal.access import holder_service, linked_holder_id, refuse_record
from licensing.portal.evidence import document_label, due_item, holder_can_send, submit_evidence
from licensing.portal.forms import BookForm, SendEvidenceForm
from licensing.portal.uploads import checked_upload
from licensing.text import govuk_date
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


@bp.route("/licences/<int:licence_id>/book/<requirement>", methods=["GET", "POST"])
@holder_service
def book(account, licence_id, requirement):
    holder_id = linked_holder_id(account)
    licence = queries.own_licence(holder_id, licence_id)
    if licence is None:
        refuse_record(account, f"licence {licence_id} is not this holder's")
    item = due_item(holder_id, licence.id, requirement, dt.date.today())
    if item is None or not training.courses_for(requirement):
        refuse_record(account, f"licence {licence_id} has no {requirement} to book training for")
    sessions = training.bookable_sessions(requirement)
    form = BookForm()
    form.session_id.choices = [
        (s.id, f"{s.course.title}, {govuk_date(s.held_on)} at {s.venue} "
               f"({'full' if left <= 0 else f'{left} place' + ('' if left == 1 else 's') + ' left'})")
        for s, left in sessions]
    done = submit(form, lambda: training.book_place(account, requirement, form.session_id.data),
                  redirect_to=url_for("portal.home"),
                  message=lambda booking: f"You are booked on {booking.session.course.title} on "
                                          f"{govuk_date(booking.session.held_on)} at {booking.session.venue}.")
    return done or render_template("portal/book_training.html", account=account, form=form, licence=licence,
                                   item=item)

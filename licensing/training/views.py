"""Training, the officer work queue, suspensions until compliant, and job runs."""

import datetime as dt

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for

from licensing.compliance.due import policy_path
from licensing.extensions import db
from licensing.models import Booking, Course, LicenceHolder, LicenceType, SuspensionProposal, TrainingSession
from licensing.models.base import utcnow
from licensing.permissions import Permission, authorise, get_or_404, requires
from licensing.policy.requirements import edition_on
from licensing.training import queries
from licensing.training.forms import (
    BookingActionForm,
    BookingForm,
    CompletionForm,
    ConfirmSuspensionsForm,
    CourseForm,
    QueueActionForm,
    QueueFilterForm,
    SessionForm,
)
from licensing.training.operations import (
    TrainingError,
    book,
    cancel_booking,
    complete_booking,
    create_course,
    create_session,
    mark_chased,
    open_cases,
    remind_now,
)
from licensing.training.suspensions import SuspensionError, confirm_suspensions, notice_pdf

bp = Blueprint("training", __name__, url_prefix="/training")


def _page():
    return max(request.args.get("page", 1, type=int), 1)


def _pages(total):
    per_page = current_app.config["PAGE_SIZE"]
    return max((total + per_page - 1) // per_page, 1)


def _requirement_choices(include_licence=False):
    rules = edition_on(dt.date.today(), policy_path()).rules
    return [(code, rule.label) for code, rule in sorted(rules.items()) if include_licence or rule.source != "licence"]


@bp.route("/")
@requires(Permission.TRAINING_READ)
def index():
    rows, total = queries.sessions(_page(), current_app.config["PAGE_SIZE"])
    return render_template("training/index.html", courses=queries.courses(), rows=rows, page=_page(),
                           pages=_pages(total))


@bp.route("/courses/new", methods=["GET", "POST"])
@requires(Permission.TRAINING_WRITE)
def new_course():
    form = CourseForm()
    form.satisfies.choices = _requirement_choices()
    if form.validate_on_submit():
        try:
            create_course(_actor(), code=form.code.data.strip(), title=form.title.data.strip(),
                          kind=form.kind.data, satisfies=form.satisfies.data,
                          validity_months=form.validity_months.data)
            db.session.commit()
        except TrainingError as error:
            db.session.rollback()
            form.code.errors.append(str(error))
        else:
            flash("Course added.")
            return redirect(url_for("training.index"))
    return render_template("training/course_form.html", form=form)


def _actor():
    from flask_login import current_user

    return current_user._get_current_object()


@bp.route("/sessions/new", methods=["GET", "POST"])
@requires(Permission.TRAINING_WRITE)
def new_session():
    form = SessionForm()
    form.course_id.choices = [(c.id, c.title) for c in queries.courses()]
    if form.validate_on_submit():
        try:
            session = create_session(_actor(), course=get_or_404(Course, form.course_id.data),
                                     held_on=form.held_on.data, venue=form.venue.data.strip(),
                                     capacity=form.capacity.data, trainer=form.trainer.data.strip())
            db.session.commit()
        except TrainingError as error:
            db.session.rollback()
            form.capacity.errors.append(str(error))
        else:
            return redirect(url_for("training.session", session_id=session.id))
    return render_template("training/session_form.html", form=form)


@bp.route("/sessions/<int:session_id>", methods=["GET", "POST"])
@requires(Permission.TRAINING_READ)
def session(session_id):
    training_session = get_or_404(TrainingSession, session_id)
    form = BookingForm()
    if form.validate_on_submit():
        authorise(_actor().can(Permission.TRAINING_WRITE), "only officers book places")
        holder = queries.holder_by_ref(form.holder_ref.data.strip())
        try:
            if holder is None:
                raise TrainingError("There is no licence holder with that reference.")
            book(_actor(), training_session.id, holder.id)
            db.session.commit()
        except TrainingError as error:
            db.session.rollback()
            form.holder_ref.errors.append(str(error))
        else:
            flash(f"{holder.display_name} booked.")
            return redirect(url_for("training.session", session_id=session_id))
    bookings = queries.session_bookings(session_id)
    return render_template("training/session.html", training_session=training_session, bookings=bookings,
                           form=form, action_form=BookingActionForm())


@bp.route("/bookings/<int:booking_id>/complete", methods=["GET", "POST"])
@requires(Permission.TRAINING_WRITE)
def complete(booking_id):
    booking = get_or_404(Booking, booking_id)
    form = CompletionForm(version=booking.version)
    if form.validate_on_submit():
        try:
            complete_booking(_actor(), booking, completed_on=form.completed_on.data,
                             certificate_reference=form.certificate_reference.data, version=form.version.data)
            db.session.commit()
        except TrainingError as error:
            db.session.rollback()
            form.certificate_reference.errors.append(str(error))
        else:
            flash("Completion recorded.")
            return redirect(url_for("training.session", session_id=booking.session_id))
    return render_template("training/complete.html", form=form, booking=booking)


@bp.route("/bookings/<int:booking_id>/cancel", methods=["POST"])
@requires(Permission.TRAINING_WRITE)
def cancel(booking_id):
    booking = get_or_404(Booking, booking_id)
    form = BookingActionForm()
    if form.validate_on_submit():
        try:
            cancel_booking(_actor(), booking, version=form.version.data)
            db.session.commit()
            flash("Booking cancelled.")
        except TrainingError as error:
            db.session.rollback()
            flash(str(error), "error")
    return redirect(url_for("training.session", session_id=booking.session_id))


@bp.route("/queue", methods=["GET", "POST"])
@requires(Permission.COMPLIANCE_READ)
def queue():
    today = dt.date.today()
    filters = QueueFilterForm(request.args)
    filters.requirement.choices = [("", "Any")] + _requirement_choices(include_licence=True)
    filters.licence_type.choices = [("", "Any")] + LicenceType.choices()
    action_form = QueueActionForm()
    if request.method == "POST":
        authorise(_actor().can(Permission.COMPLIANCE_WRITE), "only officers act on the queue")
        if action_form.validate_on_submit():
            flags = queries.flags_by_ids(action_form.flag_ids.data or [])
            try:
                if action_form.action.data == "remind":
                    count = remind_now(_actor(), flags, utcnow())
                    message = f"{count} reminders queued; they are sent within minutes."
                elif action_form.action.data == "case":
                    opened, already = open_cases(_actor(), flags, today)
                    message = f"{len(opened)} review cases opened: {', '.join(c.reference for c in opened) or 'none'}."
                    if already:
                        message += f" Already open, so not opened again: {', '.join(sorted(set(already)))}."
                else:
                    count = mark_chased(_actor(), flags, utcnow())
                    message = f"{count} items marked as chased."
                db.session.commit()
            except TrainingError as error:
                db.session.rollback()
                action_form.flag_ids.errors = [str(error)]
            else:
                flash(message)
                return redirect(url_for("training.queue", **request.args))
    chosen = {}
    if filters.validate():  # an invalid filter shows its error and the unfiltered queue
        chosen = {"requirement": filters.requirement.data or None,
                  "licence_type": filters.licence_type.data or None, "days_left": filters.days_left.data}
    page = queries.work_queue(today, **chosen, after=request.args.get("after"), before=request.args.get("before"),
                              per_page=current_app.config["PAGE_SIZE"])
    return render_template("training/queue.html", page=page, rows=page.rows, filters=filters, form=action_form,
                           today=today, proposed=queries.proposed_count(),
                           page_args={k: v for k, v in request.args.items() if k not in ("after", "before")})


@bp.route("/suspensions", methods=["GET", "POST"])
@requires(Permission.COMPLIANCE_READ)
def suspensions():
    form = ConfirmSuspensionsForm()
    if request.method == "POST":
        authorise(_actor().can(Permission.COMPLIANCE_WRITE), "only officers confirm suspensions")
        if form.validate_on_submit():
            ids = form.proposal_ids.data or []
            if not ids:
                form.proposal_ids.errors = ["Select at least one proposed suspension."]
            elif form.confirmed.data != "yes":
                # Check before suspending: the licences, the reason, then one more button.
                chosen = queries.proposals_by_ids(ids)
                if len(chosen) != len(set(ids)) or any(p.status.value != "proposed" for p, *_ in chosen):
                    form.proposal_ids.errors = ["One of the selected suspensions is no longer proposed. "
                                                "Reload and try again."]
                else:
                    form.confirmed.data = "yes"
                    return render_template("training/suspensions_check.html", form=form, rows=chosen)
            else:
                try:
                    done = confirm_suspensions(_actor(), ids, form.reason.data, dt.date.today())
                    db.session.commit()
                except SuspensionError as error:
                    db.session.rollback()
                    form.proposal_ids.errors = [str(error)]
                else:
                    return redirect(url_for("training.suspensions_done", ids=",".join(str(p.id) for p in done)))
    status = request.args.get("status", "proposed")
    if status not in ("proposed", "confirmed", "ended", "dismissed"):
        status = "proposed"
    rows, total = queries.proposals(status, _page(), current_app.config["PAGE_SIZE"])
    return render_template("training/suspensions.html", rows=rows, total=total, form=form, status=status,
                           page=_page(), pages=_pages(total))


@bp.route("/suspensions/done")
@requires(Permission.COMPLIANCE_READ)
def suspensions_done():
    """The confirmation page after suspending: which licences, and each notice letter."""
    ids = [int(part) for part in request.args.get("ids", "").split(",") if part.isdigit()][:500]
    rows = [row for row in queries.proposals_by_ids(ids) if row[0].status.value in ("confirmed", "ended")]
    return render_template("training/suspensions_done.html", rows=rows)


@bp.route("/suspensions/<int:proposal_id>/letter.pdf")
@requires(Permission.COMPLIANCE_READ)
def suspension_letter(proposal_id):
    proposal = get_or_404(SuspensionProposal, proposal_id)
    content = notice_pdf(proposal)
    if content is None:
        abort(404)  # proposed or dismissed: no letter was issued
    return Response(content, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="suspension-{proposal.id}.pdf"'})


@bp.route("/holders/<int:holder_id>/compliance")
@requires(Permission.TRAINING_READ)
def holder(holder_id):
    licence_holder = get_or_404(LicenceHolder, holder_id)
    return render_template("training/holder.html", holder=licence_holder,
                           **queries.holder_compliance_panel(holder_id, dt.date.today()))


@bp.route("/jobs")
@requires(Permission.JOBS_READ)
def job_runs():
    rows, total = queries.job_runs(_page(), current_app.config["PAGE_SIZE"])
    return render_template("training/jobs.html", rows=rows, page=_page(), pages=_pages(total))

"""Training, the officer work queue, suspensions until compliant, and job runs."""

import datetime as dt

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for

from licensing.compliance.due import policy_path
from licensing.holders.queries.search import find_holder, lookup_message
from licensing.models import Booking, CheckKind, Course, LicenceHolder, LicenceType, SuspensionProposal, TrainingSession
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
from licensing.training.suspensions import confirm_suspensions, notice_pdf
from licensing.web.paging import page_arg, page_count
from licensing.web.submit import actor, save, submit

bp = Blueprint("training", __name__, url_prefix="/training")


def _pages(total):
    return page_count(total, current_app.config["PAGE_SIZE"])


def _requirement_choices(include_licence=False):
    rules = edition_on(dt.date.today(), policy_path()).rules
    return [(code, rule.label) for code, rule in sorted(rules.items()) if include_licence or rule.source != "licence"]


@bp.route("/")
@requires(Permission.TRAINING_READ)
def index():
    rows, total = queries.sessions(page_arg(), current_app.config["PAGE_SIZE"])
    return render_template("training/index.html", courses=queries.courses(), rows=rows, page=page_arg(),
                           pages=_pages(total))


@bp.route("/courses/new", methods=["GET", "POST"])
@requires(Permission.TRAINING_WRITE)
def new_course():
    form = CourseForm()
    form.satisfies.choices = _requirement_choices()
    done = submit(
        form, lambda: create_course(actor(), code=form.code.data.strip(), title=form.title.data.strip(),
                                    kind=form.kind.data, satisfies=form.satisfies.data,
                                    validity_months=form.validity_months.data),
        field="code", redirect_to=url_for("training.index"), message="Course added.")
    return done or render_template("training/course_form.html", form=form)


@bp.route("/sessions/new", methods=["GET", "POST"])
@requires(Permission.TRAINING_WRITE)
def new_session():
    form = SessionForm()
    form.course_id.choices = [(c.id, c.title) for c in queries.courses()]
    done = submit(
        form, lambda: create_session(actor(), course=get_or_404(Course, form.course_id.data),
                                     held_on=form.held_on.data, venue=form.venue.data.strip(),
                                     capacity=form.capacity.data, trainer=form.trainer.data.strip()),
        field="capacity", redirect_to=lambda created: url_for("training.session", session_id=created.id))
    return done or render_template("training/session_form.html", form=form)


@bp.route("/sessions/<int:session_id>", methods=["GET", "POST"])
@requires(Permission.TRAINING_READ)
def session(session_id):
    training_session = get_or_404(TrainingSession, session_id)
    form = BookingForm()
    def book_place():
        authorise(actor().can(Permission.TRAINING_WRITE), "only officers book places")
        holder = queries.holder_by_ref(form.holder_ref.data.strip())
        if holder is None:
            raise TrainingError(lookup_message(find_holder(form.holder_ref.data)[1]))
        book(actor(), training_session.id, holder.id)
        return holder

    done = submit(form, book_place, field="holder_ref", redirect_to=url_for("training.session", session_id=session_id),
                  message=lambda holder: f"{holder.display_name} booked.")
    if done:
        return done
    bookings = queries.session_bookings(session_id)
    return render_template("training/session.html", training_session=training_session, bookings=bookings,
                           form=form, action_form=BookingActionForm())


@bp.route("/bookings/<int:booking_id>/complete", methods=["GET", "POST"])
@requires(Permission.TRAINING_WRITE)
def complete(booking_id):
    booking = get_or_404(Booking, booking_id)
    form = CompletionForm(version=booking.version)
    done = submit(
        form, lambda: complete_booking(actor(), booking, completed_on=form.completed_on.data,
                                       certificate_reference=form.certificate_reference.data,
                                       version=form.version.data),
        field="certificate_reference", redirect_to=url_for("training.session", session_id=booking.session_id),
        message="Completion recorded.")
    return done or render_template("training/complete.html", form=form, booking=booking)


@bp.route("/bookings/<int:booking_id>/cancel", methods=["POST"])
@requires(Permission.TRAINING_WRITE)
def cancel(booking_id):
    booking = get_or_404(Booking, booking_id)
    form = BookingActionForm()
    back = url_for("training.session", session_id=booking.session_id)
    # This form has no page of its own: a refusal is flashed on the session page.
    if not submit(form, lambda: cancel_booking(actor(), booking, version=form.version.data), redirect_to=back,
                  message="Booking cancelled.") and form.form_errors:
        flash(" ".join(form.form_errors), "error")
    return redirect(back)


@bp.route("/queue", methods=["GET", "POST"])
@requires(Permission.COMPLIANCE_READ)
def queue():
    today = dt.date.today()
    filters = QueueFilterForm(request.args)
    filters.requirement.choices = [("", "Any")] + _requirement_choices(include_licence=True)
    filters.licence_type.choices = [("", "Any")] + LicenceType.choices()
    action_form = QueueActionForm()
    if request.method == "POST":
        authorise(actor().can(Permission.COMPLIANCE_WRITE), "only officers act on the queue")
        done = submit(action_form, lambda: _act_on_queue(action_form, today), field="flag_ids",
                      redirect_to=url_for("training.queue", **request.args), message=lambda message: message)
        if done:
            return done
    # An invalid filter shows its error and is left out; the others still apply.
    filters.validate()
    chosen = {name: getattr(filters, name).data or None for name in ("requirement", "licence_type", "days_left")
              if not getattr(filters, name).errors}
    if "days_left" in chosen:
        chosen["days_left"] = filters.days_left.data  # 0 is a filter, not "none"
    page = queries.work_queue(today, **chosen, after=request.args.get("after"), before=request.args.get("before"),
                              per_page=current_app.config["PAGE_SIZE"])
    return render_template("training/queue.html", page=page, rows=page.rows, filters=filters, form=action_form,
                           today=today, proposed=queries.proposed_count(),
                           last_scan=queries.last_job_run("expiry_scan"),
                           check_kinds={kind.value for kind in CheckKind},
                           page_args={k: v for k, v in request.args.items() if k not in ("after", "before")})


def _act_on_queue(action_form, today):
    """Run the chosen action on the chosen flags; the message says what was done."""
    flags = queries.flags_by_ids(action_form.flag_ids.data or [])
    if action_form.action.data == "remind":
        sent = remind_now(actor(), flags, utcnow())
        if not sent:
            return "No reminders queued: each of these was reminded today already."
        return f"{_count(sent, 'reminder')} queued; the scheduler sends them within minutes."
    if action_form.action.data == "case":
        opened, already = open_cases(actor(), flags, today)
        message = (f"{_count(len(opened), 'review case')} opened: {', '.join(c.reference for c in opened)}."
                   if opened else "No new review cases opened.")
        if already:
            message += f" Already open, so not opened again: {', '.join(sorted(set(already)))}."
        return message
    return f"{_count(mark_chased(actor(), flags, utcnow()), 'item')} marked as chased."


def _count(n, noun):
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


@bp.route("/suspensions", methods=["GET", "POST"])
@requires(Permission.COMPLIANCE_READ)
def suspensions():
    form = ConfirmSuspensionsForm()
    if request.method == "POST":
        authorise(actor().can(Permission.COMPLIANCE_WRITE), "only officers confirm suspensions")
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
                done = save(form, lambda: confirm_suspensions(
                    actor(), ids, form.reason.data, dt.date.today(), service_method=form.service_method.data,
                    immediate=form.immediate.data, public_safety_reason=form.public_safety_reason.data),
                    field="proposal_ids")
                if done is not None:
                    return redirect(url_for("training.suspensions_done", ids=",".join(str(p.id) for p in done)))
    status = request.args.get("status", "proposed")
    if status not in ("proposed", "confirmed", "ended", "dismissed"):
        status = "proposed"
    rows, total = queries.proposals(status, page_arg(), current_app.config["PAGE_SIZE"])
    return render_template("training/suspensions.html", rows=rows, total=total, form=form, status=status,
                           page=page_arg(), pages=_pages(total), last_scan=queries.last_job_run("expiry_scan"))


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
    rows, total = queries.job_runs(page_arg(), current_app.config["PAGE_SIZE"])
    return render_template("training/jobs.html", rows=rows, page=page_arg(), pages=_pages(total))

"""Hearings: schedule, agenda, panel bundles, attendance and decisions. Panel members get a
404 for anything outside the hearings they sit on."""

import datetime as dt

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from licensing.extensions import db
from licensing.hearings import (
    bodies,
    bundles,
    decisions,
    disclosure,
    material,
    operations,
    publication,
    queries,
    sitting,
)
from licensing.hearings.errors import HearingError
from licensing.hearings.forms import (
    AttendanceForm,
    CaseSearchForm,
    CorrectionForm,
    DecisionForm,
    EmailLetterForm,
    HearingForm,
    ListCaseForm,
    MoveForm,
    OrderForm,
    ProposalForm,
    PublishForm,
    RemoveForm,
    RescheduleForm,
    StatusForm,
)
from licensing.hearings.ical import hearing_invitation
from licensing.letters.issue import find_letter_email, queue_letter_email
from licensing.models import (
    CaseDocument,
    Hearing,
    HearingListing,
    IssuedLetter,
    LicenceHolder,
    ReviewCase,
    Role,
    User,
)
from licensing.permissions import (
    Permission,
    authorise,
    get_or_404,
    may_see_intelligence,
    record_intelligence_shown,
    requires,
)
from licensing.policy.hearing_procedure import default_private_paragraph
from licensing.reviews.operations import cases as review_cases
from licensing.text import govuk_datetime
from licensing.web.downloads import attachment
from licensing.web.paging import page_arg, page_count
from licensing.web.submit import submit

bp = Blueprint("hearings", __name__, url_prefix="/hearings")


def _hearing_or_404(hearing_id):
    hearing = get_or_404(Hearing, hearing_id)
    if not hearing.can_view(current_user):
        abort(404)  # panel members must not learn that other hearings exist
    return hearing


def _listing_or_404(listing_id):
    listing = get_or_404(HearingListing, listing_id)
    if not listing.can_view(current_user):
        abort(404)
    return listing


def _panel_choices(field, blank=None):
    members = db.session.query(User).filter_by(role=Role.PANEL, is_enabled=True).order_by(User.name).all()
    field.choices = ([("", blank)] if blank else []) + [(str(u.id), u.name) for u in members]


@bp.route("/")
@requires(Permission.HEARINGS_READ)
def index():
    page = page_arg()
    rows, total = queries.hearings_for(current_user, page)
    return render_template("hearings/index.html", hearings=rows, page=page, pages=page_count(total, queries.PER_PAGE),
                           mine=not current_user.can(Permission.HEARINGS_READ_ALL))


@bp.route("/new", methods=["GET", "POST"])
@requires(Permission.HEARINGS_WRITE)
def new():
    form = HearingForm()
    _panel_choices(form.chair_id, "Choose the chair")
    _panel_choices(form.panel_ids)
    active = bodies.active_bodies()
    form.deciding_body_id.choices = [("", "Choose the deciding body")] + [
        (str(b.id), f"{b.name} ({b.decision_mode.label.lower()})") for b in active]
    if not form.is_submitted() and len(active) == 1:
        form.deciding_body_id.data = str(active[0].id)  # the council's one body, chosen already

    def create():
        hours, minutes = (int(p) for p in form.time.data.split(":"))
        starts_at = dt.datetime.combine(form.date.data, dt.time(hours, minutes))
        return operations.create_hearing(current_user, starts_at, form.venue.data, form.deciding_body_id.data,
                                         int(form.chair_id.data), form.panel_ids.data,
                                         date_override_reason=form.date_override_reason.data,
                                         legal_adviser=form.legal_adviser.data)

    done = submit(form, create, field="venue",
                  redirect_to=lambda hearing: url_for("hearings.hearing", hearing_id=hearing.id))
    return done or render_template("hearings/new.html", form=form)


def _render_hearing(hearing, **forms):
    search = CaseSearchForm(request.args)
    list_form = forms.get("list_form") or ListCaseForm(private_paragraph=str(default_private_paragraph()))
    list_form.case_id.choices = [
        (str(c.id), f"{c.reference or c.id}: {c.holder.display_name} ({c.summary})")
        for c in queries.awaiting_cases(search.q.data)]
    status_form = forms.get("status_form") or StatusForm(version=hearing.version)
    reschedule_form = forms.get("reschedule_form") or RescheduleForm(version=hearing.version)
    agenda = queries.agenda(hearing)
    return render_template("hearings/hearing.html", hearing=hearing, agenda=agenda,
                           list_form=list_form, status_form=status_form, search=search,
                           reschedule_form=reschedule_form, open_to_change=operations.is_open(hearing),
                           shortfall=operations.notice_shortfall(hearing, dt.date.today()),
                           undisclosed=material.undisclosed_counts([item.case_id for item in agenda]),
                           current_bundles={item.id: bundles.latest(item, bundles.A.PANEL) for item in agenda},
                           publish_form=PublishForm())


@bp.route("/<int:hearing_id>")
@requires(Permission.HEARINGS_READ)
def hearing(hearing_id):
    return _render_hearing(_hearing_or_404(hearing_id))


@bp.route("/<int:hearing_id>/list", methods=["POST"])
@requires(Permission.HEARINGS_WRITE)
def list_case(hearing_id):
    hearing = _hearing_or_404(hearing_id)
    form = ListCaseForm()

    def listing():
        if not form.case_id.data.isdigit():
            abort(404)
        return operations.list_case(current_user, hearing, get_or_404(ReviewCase, int(form.case_id.data)),
                                    override_reason=form.override_reason.data,
                                    private_paragraph=form.paragraph(operations.DEFAULT_PARAGRAPH))
    done = submit(form, listing, field="case_id", redirect_to=url_for("hearings.hearing", hearing_id=hearing.id),
                  message=lambda listing: " ".join(filter(None, ("Case listed and notice of hearing issued.",
                                                                 disclosure.warning(listing.case)))))
    return done or _render_hearing(hearing, list_form=form)


@bp.route("/<int:hearing_id>/status", methods=["POST"])
@requires(Permission.HEARINGS_WRITE)
def status(hearing_id):
    hearing = _hearing_or_404(hearing_id)
    form = StatusForm()
    done = submit(
        form, lambda: operations.set_status(current_user, hearing, form.new_status.data, form.reason.data,
                                            form.version.data),
        field="new_status", redirect_to=url_for("hearings.hearing", hearing_id=hearing.id),
        message=lambda h: f"The hearing is now {h.status.label.lower()}"
        + ("; each listed holder has been sent a notice" if h.status.value in operations.NOTIFIED else ""))
    return done or _render_hearing(hearing, status_form=form)


@bp.route("/<int:hearing_id>/reschedule", methods=["POST"])
@requires(Permission.HEARINGS_WRITE)
def reschedule(hearing_id):
    """A new date for a scheduled or adjourned hearing; each listed holder gets a new notice."""
    hearing = _hearing_or_404(hearing_id)
    form = RescheduleForm()

    def move():
        hours, minutes = (int(p) for p in form.time.data.split(":"))
        starts_at = dt.datetime.combine(form.date.data, dt.time(hours, minutes))
        return operations.reschedule(current_user, hearing, starts_at, reason=form.reason.data, venue=form.venue.data,
                                     override_reason=form.override_reason.data, version=form.version.data)
    done = submit(form, move, field="date", redirect_to=url_for("hearings.hearing", hearing_id=hearing.id),
                  message="New date set and notices sent to each listed holder")
    return done or _render_hearing(hearing, reschedule_form=form)


@bp.route("/<int:hearing_id>/invitation.ics")
@requires(Permission.HEARINGS_READ)
def invitation(hearing_id):
    hearing = _hearing_or_404(hearing_id)
    body = hearing_invitation(hearing, request.host.split(":")[0] or "licensing.local")
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f"attachment; filename=hearing-{hearing.id}.ics"
    return response


def _render_listing(listing, **forms):
    data = queries.bundle(listing)
    disclosure = material.summary_for(listing.case, current_user)
    if not may_see_intelligence(current_user, listing, disclosed_to_panel=True):
        data.intelligence = []  # the one rule: clearance, or a panel member sitting on this hearing
    if data.intelligence or any(item.restricted for item in disclosure.items):
        record_intelligence_shown(current_user, listing.case.holder_id, "hearing listing page", listing,
                                  disclosed_to_panel=True)
    issued = queries.case_letters(listing.case_id) if listing.can_read_letters(current_user) else []
    attendance_form = forms.get("attendance_form") or AttendanceForm(
        version=listing.version, attendance=listing.attendance.value if listing.attendance else None,
        proposed_outcome=listing.proposed_outcome.value if listing.proposed_outcome else "")
    _panel_choices(attendance_form.proposed_by_id, "Nobody")
    if not attendance_form.proposed_by_id.data and listing.proposed_by_id:
        attendance_form.proposed_by_id.data = str(listing.proposed_by_id)
    decision = decisions.current_decision(listing)
    decision_form = forms.get("decision_form") or DecisionForm(
        decision_date=listing.hearing.starts_at.date(), notice_date=dt.date.today(),
        legal_adviser=listing.hearing.legal_adviser or "",
        exclusion_paragraph=str(listing.private_paragraph) if listing.private_paragraph else "")
    _sitting_choices(decision_form, listing.hearing)
    if "decision_form" not in forms:  # those listed to sit are ticked as present; the clerk unticks absentees
        decision_form.present_ids.data = [value for value, _name in decision_form.present_ids.choices]
    correction_form = forms.get("correction_form") or (_correction_form(decision) if decision else None)
    proposal_form = forms.get("proposal_form") or ProposalForm(
        version=listing.version, proposed_outcome=listing.proposed_outcome.value if listing.proposed_outcome else "")
    move_form = forms.get("move_form") or MoveForm(version=listing.version)
    move_form.hearing_id.choices = [(str(h.id), f"{govuk_datetime(h.starts_at)}, {h.venue}")
                                    for h in queries.other_hearings(listing.hearing)]
    return render_template("hearings/listing.html", listing=listing, bundle=data,
                           decision=decision, attendance_form=attendance_form, decision_form=decision_form,
                           correction_form=correction_form, move_form=move_form, proposal_form=proposal_form,
                           remove_form=forms.get("remove_form") or RemoveForm(version=listing.version),
                           order_form=OrderForm(),
                           letters=issued, letter_emails=queries.letter_emails([x.id for x in issued]),
                           email_form=EmailLetterForm(), disclosure=disclosure,
                           publications=publication.shown_versions(listing, current_user), marker=bundles.marker,
                           report=material.report_of(listing.case_id))


def _sitting_choices(form, hearing):
    """Members present and their votes are chosen from the members listed to sit."""
    for field in (form.present_ids, form.against_ids, form.abstained_ids):
        field.choices = [(str(u.id), u.name) for u in sitting.seated(hearing)]


def _correction_form(decision):
    """'Correct this decision', prefilled from the current decision."""
    return CorrectionForm(
        formdata=None, outcome=decision.outcome.value, reasons=decision.reasons, decision_date=decision.decision_date,
        notice_date=decision.notice_date or decision.decision_date, suspension_to=decision.suspension_to,
        deferred_to=decision.deferred_to, immediate=decision.immediate,
        public_safety_reason=decision.public_safety_reason or "",
        safeguarding_or_road_safety=decision.safeguarding_or_road_safety, corrects_id=str(decision.id))


@bp.route("/listings/<int:listing_id>")
@requires(Permission.HEARINGS_READ)
def listing(listing_id):
    return _render_listing(_listing_or_404(listing_id))


@bp.route("/listings/<int:listing_id>/bundle.pdf")
@requires(Permission.HEARINGS_READ)
def bundle_pdf(listing_id):
    listing = _listing_or_404(listing_id)
    content = bundles.download_bundle(current_user, listing)  # audited: the edge commits it with the 200
    return attachment(content, f"bundle-{listing.id}.pdf", "application/pdf")


@bp.route("/listings/<int:listing_id>/documents/<int:document_id>")
@requires(Permission.HEARINGS_READ)
def document(listing_id, document_id):
    listing = _listing_or_404(listing_id)
    found = queries.disclosed_document(listing, document_id)
    if found is None:
        abort(404)
    document = db.session.get(CaseDocument, found.id)
    review_cases.record_download(current_user, document, f"hearing listing {listing.id}")
    return attachment(document.content, review_cases.download_name(document), found.content_type)


def _listing_post(listing_id, form_cls, action, form_key, default_field):
    """The POST of a form on the listing page: `action(listing, form)` runs one operation and gives
    the URL to go to; a refusal from any area shows at its field and the page is shown again."""
    listing = _listing_or_404(listing_id)
    form = form_cls()
    if hasattr(form, "proposed_by_id"):
        _panel_choices(form.proposed_by_id, "Nobody")
    if hasattr(form, "hearing_id"):
        form.hearing_id.choices = [(str(h.id), "") for h in queries.other_hearings(listing.hearing)]
    if hasattr(form, "present_ids"):
        _sitting_choices(form, listing.hearing)
    done = submit(form, lambda: action(listing, form), field=default_field, redirect_to=lambda target: target)
    return done or _render_listing(listing, **{form_key: form})


@bp.route("/listings/<int:listing_id>/attendance", methods=["POST"])
@requires(Permission.HEARINGS_WRITE)
def attendance(listing_id):
    def act(listing, form):
        proposer = db.session.get(User, int(form.proposed_by_id.data)) if form.proposed_by_id.data else None
        decisions.record_attendance(current_user, listing, form.attendance.data, form.proposed_outcome.data or None,
                                    proposer, version=form.version.data)
        return url_for("hearings.listing", listing_id=listing.id)
    return _listing_post(listing_id, AttendanceForm, act, "attendance_form", "attendance")


@bp.route("/listings/<int:listing_id>/proposal", methods=["POST"])
@requires(Permission.HEARINGS_PROPOSE)
def proposal(listing_id):
    """A panel member sitting on the hearing records the panel's proposed decision."""
    def act(listing, form):
        decisions.propose_decision(current_user, listing, form.proposed_outcome.data, version=form.version.data)
        flash("Proposed decision recorded for the decision maker", "success")
        return url_for("hearings.listing", listing_id=listing.id)
    return _listing_post(listing_id, ProposalForm, act, "proposal_form", "proposed_outcome")


@bp.route("/listings/<int:listing_id>/decision", methods=["POST"])
@requires(Permission.HEARINGS_DECIDE)
def decision(listing_id):
    authorise(_listing_or_404(listing_id).can_record_decision(current_user),
              "only the decision maker records the decision")

    def act(listing, form):
        _record(listing, form)  # refused once a decision exists: a correction is its own action
        return url_for("hearings.decided", listing_id=listing.id)
    return _listing_post(listing_id, DecisionForm, act, "decision_form", "outcome")


def _record(listing, form, **correction):
    return decisions.record_decision(
        current_user, listing, outcome=form.outcome.data, reasons=form.reasons.data,
        decided_by=listing.hearing.chair, decision_date=form.decision_date.data,
        notice_date=form.notice_date.data, immediate=form.immediate.data,
        public_safety_reason=form.public_safety_reason.data, suspension_to=form.suspension_to.data,
        deferred_to=form.deferred_to.data, safeguarding_or_road_safety=form.safeguarding_or_road_safety.data,
        late_notice_reason=form.late_notice_reason.data, decision_mode=form.decision_mode.data or None,
        present_ids=form.present_ids.data or [], against_ids=form.against_ids.data,
        abstained_ids=form.abstained_ids.data, legal_adviser=form.legal_adviser.data,
        exclusion_paragraph=form.exclusion_paragraph.data or None,
        disclosure_override_reason=form.disclosure_override_reason.data, **correction)


@bp.route("/listings/<int:listing_id>/correction", methods=["POST"])
@requires(Permission.HEARINGS_DECIDE)
def correction(listing_id):
    """'Correct this decision': a new version of the current decision, with a reason; it keeps the
    decision and moves its enforcement action's dates with the corrected ones."""
    authorise(_listing_or_404(listing_id).can_record_decision(current_user),
              "only the decision maker records the decision")

    def act(listing, form):
        current = decisions.current_decision(listing)
        if current is None:
            raise HearingError("There is no decision to correct yet", field="outcome")
        if form.corrects_id.data != str(current.id):
            raise HearingError("This decision has been corrected since you opened the page; reload",
                               field="corrects_id")
        _record(listing, form, corrects=current, correction_reason=form.correction_reason.data)
        return url_for("hearings.decided", listing_id=listing.id)
    return _listing_post(listing_id, CorrectionForm, act, "correction_form", "outcome")


@bp.route("/listings/<int:listing_id>/decided")
@requires(Permission.HEARINGS_READ)
def decided(listing_id):
    """Confirmation after a decision: what was decided, when it takes effect, and its letter."""
    listing = _listing_or_404(listing_id)
    decision = decisions.current_decision(listing)
    return render_template("hearings/decided.html", listing=listing, decision=decision,
                           who_decided=sitting.decided_by_words(decision, listing.hearing) if decision else "",
                           authority=sitting.authority_words(decision) if decision else "",
                           letter=decision.letter if decision and listing.can_read_letters(current_user) else None)


@bp.route("/listings/<int:listing_id>/remove", methods=["POST"])
@requires(Permission.HEARINGS_WRITE)
def remove(listing_id):
    def act(listing, form):
        operations.remove_listing(current_user, listing, form.reason.data, version=form.version.data)
        return url_for("hearings.hearing", hearing_id=listing.hearing_id)
    return _listing_post(listing_id, RemoveForm, act, "remove_form", "reason")


@bp.route("/listings/<int:listing_id>/move", methods=["POST"])
@requires(Permission.HEARINGS_WRITE)
def move(listing_id):
    def act(listing, form):
        target = get_or_404(Hearing, int(form.hearing_id.data))
        moved = operations.move_listing(current_user, listing, target, override_reason=form.override_reason.data,
                                        version=form.version.data)
        return url_for("hearings.hearing", hearing_id=moved.hearing_id)
    return _listing_post(listing_id, MoveForm, act, "move_form", "hearing_id")


@bp.route("/listings/<int:listing_id>/order", methods=["POST"])
@requires(Permission.HEARINGS_WRITE)
def order(listing_id):
    def act(listing, form):
        operations.move_in_agenda(current_user, listing, -1 if form.direction.data == "up" else 1)
        return url_for("hearings.hearing", hearing_id=listing.hearing_id)
    return _listing_post(listing_id, OrderForm, act, "order_form", "direction")


@bp.route("/letters/<int:letter_id>")
@requires(Permission.HEARINGS_READ)
def letter(letter_id):
    issued = get_or_404(IssuedLetter, letter_id)
    if not issued.kind.startswith("hearing_"):
        abort(404)
    if not (current_user.can(Permission.HEARINGS_READ_ALL)
            or queries.chairs_hearing_of_case(current_user, issued.case_id)):
        abort(404)  # the decision maker reads the letters of the cases before them, nobody else on a panel
    return attachment(db.session.get(IssuedLetter, issued.id).content, issued.filename, "application/pdf")


@bp.route("/letters/<int:letter_id>/email", methods=["POST"])
@requires(Permission.HEARINGS_WRITE)
def email_letter(letter_id):
    """Put an issued hearing letter in the outbox for the holder; each letter goes once."""
    issued = get_or_404(IssuedLetter, letter_id)
    if not issued.kind.startswith("hearing_"):
        abort(404)
    listing = queries.latest_listing(issued.case_id)
    if EmailLetterForm().validate_on_submit():
        if find_letter_email(issued) is not None:
            flash("This letter has already been e-mailed to the holder")
        elif queue_letter_email(current_user, issued, db.session.get(LicenceHolder, issued.holder_id)):
            flash("The letter will be e-mailed to the holder", "success")
        else:
            flash("The holder has no e-mail address: add one to their record first")
    if listing is None:
        return redirect(url_for("hearings.index"))
    return redirect(url_for("hearings.listing", listing_id=listing.id))


from licensing.hearings import disclosure_views  # noqa: E402,F401 - its routes join this blueprint

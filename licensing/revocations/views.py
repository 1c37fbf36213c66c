"""Revocations register, appeals, NR3S duties and cross-border referrals. Officers record;
managers read; panel members and administrators are refused."""

import datetime as dt
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user

from licensing.audit import record
from licensing.extensions import db
from licensing.models import (
    Appeal,
    CheckKind,
    ComplianceCheck,
    CrossBorderReferral,
    EnforcementAction,
    Licence,
    Nr3sEntry,
    Nr3sRequest,
    Role,
    User,
)
from licensing.permissions import Permission, authorise, get_or_404, requires
from licensing.revocations import defects, duties, operations, queries, service
from licensing.revocations.errors import RevocationError
from licensing.revocations.forms import (
    AppealForm,
    AppealHearingForm,
    LicenceAppealForm,
    Nr3sEntryForm,
    Nr3sRequestForm,
    Nr3sUpdateForm,
    OutcomeForm,
    PeriodForm,
    RecordServiceForm,
    ReferralForm,
    ReferralSentForm,
    RegisterFilterForm,
    RemedyForm,
    ReplyForm,
    ReturnForm,
    VehicleDefectForm,
    pounds_to_pence,
)
from licensing.web.downloads import csv_download
from licensing.web.paging import page_arg, page_count
from licensing.web.submit import submit

bp = Blueprint("revocations", __name__, url_prefix="/revocations")


def _today():
    return dt.date.today()


def _query_withoutpage_arg():
    return urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "page"])


def _filters(form):
    if not form.validate():
        return queries.RegisterFilters()
    return queries.RegisterFilters(kind=form.kind.data or None, status=form.status.data or None,
                                   origin=form.origin.data or None, date_from=form.date_from.data,
                                   date_to=form.date_to.data)


# --- register -------------------------------------------------------------------------------

@bp.route("/")
@requires(Permission.REVOCATIONS_READ)
def index():
    form = RegisterFilterForm(request.args)
    filters, page = _filters(form), page_arg()
    rows, total = queries.register_page(filters, _today(), page)
    return render_template("revocations/index.html", form=form, rows=rows, total=total, page=page,
                           pages=page_count(total, queries.PER_PAGE), query=_query_withoutpage_arg(), today=_today())


@bp.route("/register.csv")
@requires(Permission.REVOCATIONS_READ)
def register_csv():
    form = RegisterFilterForm(request.args)
    filters, today = _filters(form), _today()
    record(current_user, "revocations.exported", entity_type="enforcement_actions",
           after={"filters": {k: (v.isoformat() if isinstance(v, dt.date) else v)
                              for k, v in filters.__dict__.items() if v}})
    return csv_download(f"revocations-{today.isoformat()}.csv", queries.CSV_COLUMNS,
                        lambda: queries.register_csv_rows(filters, today))


# --- actions --------------------------------------------------------------------------------

def _failed(forms):
    """The form with errors, for the page's error summary."""
    return next((f for f in forms.values() if f is not None and f.errors), None)


def _render_action(action, **forms):
    detail = queries.action_detail(action, _today())
    return render_template(
        "revocations/action.html", form=_failed(forms), action=action, **detail,
        item=operations.return_item(action.licence),
        return_form=forms.get("return_form") or ReturnForm(version=action.version),
        appeal_form=forms.get("appeal_form") or AppealForm(),
        remedy_form=forms.get("remedy_form") or RemedyForm(version=action.version))


@bp.route("/actions/<int:action_id>")
@requires(Permission.REVOCATIONS_READ)
def action(action_id):
    return _render_action(get_or_404(EnforcementAction, action_id))


@bp.route("/actions/<int:action_id>/return", methods=["POST"])
@requires(Permission.REVOCATIONS_WRITE)
def record_return(action_id):
    action = get_or_404(EnforcementAction, action_id)
    form = ReturnForm()
    done = submit(
        form, lambda: duties.record_return(current_user, action, form.returned_on.data, version=form.version.data),
        field="returned_on",
        redirect_to=lambda _: url_for("revocations.action", action_id=action_id),
        message="Return recorded")
    return done or _render_action(action, return_form=form)


@bp.route("/actions/<int:action_id>/appeal", methods=["POST"])
@requires(Permission.REVOCATIONS_WRITE)
def appeal_action(action_id):
    action = get_or_404(EnforcementAction, action_id)
    form = AppealForm()
    done = submit(
        form, lambda: operations.lodge_appeal(
            current_user, action.licence, action=action, subject=form.subject.data, lodged_on=form.lodged_on.data,
            grounds=form.grounds.data, court_reference=form.court_reference.data, today=_today()),
        field="lodged_on",
        redirect_to=_appeal_url,
        message=lambda appeal: "Appeal recorded" + (
            ": lodged after the 21-day limit" if operations.appeal_is_late(appeal) else ""))
    return done or _render_action(action, appeal_form=form)


# --- section 68: vehicle defects -------------------------------------------------------------

@bp.route("/licences/<int:licence_id>/vehicle-defect", methods=["GET", "POST"])
@requires(Permission.REVOCATIONS_WRITE)
def vehicle_defect(licence_id):
    """An authorised officer's notice under s.68 after inspecting the vehicle."""
    licence = get_or_404(Licence, licence_id)
    form = VehicleDefectForm()
    if request.method == "GET":
        form.version.data = licence.version
    done = submit(form, lambda: defects.suspend_for_defect(
        current_user, licence, inspected_on=form.inspected_on.data, defects=form.defects.data,
        service_method=form.service_method.data, version=form.version.data), field="defects",
        redirect_to=lambda action: url_for("revocations.action", action_id=action.id),
        message=lambda action: f"Licence {licence.licence_number} suspended under section 68; the notice is ready")
    return done or render_template("revocations/vehicle_defect.html", form=form, licence=licence)


@bp.route("/actions/<int:action_id>/remedied", methods=["POST"])
@requires(Permission.REVOCATIONS_WRITE)
def remedied(action_id):
    action = get_or_404(EnforcementAction, action_id)
    form = RemedyForm()
    done = submit(form, lambda: defects.record_remedy(current_user, action, remedied_on=form.remedied_on.data,
                                                      note=form.note.data, version=form.version.data),
                  field="remedied_on", redirect_to=url_for("revocations.action", action_id=action_id),
                  message="Defects recorded as put right; the suspension has ended")
    return done or _render_action(action, remedy_form=form)


# --- service of notice ----------------------------------------------------------------------

@bp.route("/unserved", methods=["GET", "POST"])
@requires(Permission.REVOCATIONS_READ)
def unserved():
    """Notices not yet recorded as served: their decisions cannot take effect until they are."""
    form = RecordServiceForm()
    if request.method == "POST":
        authorise(current_user.can(Permission.REVOCATIONS_WRITE), "only officers record service")
        done = submit(form, lambda: service.record_service(current_user, service.actions_by_ids(form.action_ids.data)),
                      field="action_ids", redirect_to=url_for("revocations.unserved"),
                      message=lambda recorded: f"Service recorded for {len(recorded)} "
                                               f"notice{'' if len(recorded) == 1 else 's'}")
        if done:
            return done
    page = page_arg()
    rows, total = service.unserved_page(page, queries.PER_PAGE)
    return render_template("revocations/unserved.html", form=form, rows=rows, total=total, page=page,
                           pages=page_count(total, queries.PER_PAGE), label=service.service_label)


# --- appeals --------------------------------------------------------------------------------

@bp.route("/appeals")
@requires(Permission.REVOCATIONS_READ)
def appeals():
    form = PeriodForm(request.args)
    date_from, date_to = (form.date_from.data, form.date_to.data) if form.validate() else (None, None)
    pending_only = request.args.get("pending") == "1"
    page = page_arg()
    rows, total = queries.appeals_page(date_from, date_to, pending_only, page)
    return render_template("revocations/appeals.html", form=form, rows=rows, total=total, page=page,
                           pages=page_count(total, queries.PER_PAGE), query=_query_withoutpage_arg(),
                           summary=queries.appeals_summary(date_from, date_to),
                           pending_only=pending_only)


def _licence_numbered(number):
    licence = db.session.execute(sa.select(Licence).filter_by(
        licence_number=number.strip().upper())).scalar_one_or_none()
    if licence is None:
        raise RevocationError("No licence has that number", field="licence_number")
    return licence


@bp.route("/appeals/new", methods=["GET", "POST"])
@requires(Permission.REVOCATIONS_WRITE)
def new_appeal():
    form = LicenceAppealForm()
    done = submit(
        form, lambda: operations.lodge_appeal(
            current_user, _licence_numbered(form.licence_number.data), subject=form.subject.data,
            notice_on=form.notice_on.data, lodged_on=form.lodged_on.data, grounds=form.grounds.data,
            court_reference=form.court_reference.data, today=_today()),
        field="subject",
        redirect_to=_appeal_url)
    return done or render_template("revocations/new_appeal.html", form=form)


def _appeal_url(appeal):
    return url_for("revocations.appeal", appeal_id=appeal.id)


def _render_appeal(appeal, **forms):
    return render_template(
        "revocations/appeal.html", form=_failed(forms), appeal=appeal, late=operations.appeal_is_late(appeal),
        further=db.session.execute(sa.select(Appeal).filter_by(parent_id=appeal.id)).scalars().all(),
        hearing_form=forms.get("hearing_form") or AppealHearingForm(),
        outcome_form=forms.get("outcome_form") or OutcomeForm(version=appeal.version),
        further_form=forms.get("further_form") or AppealForm())


@bp.route("/appeals/<int:appeal_id>")
@requires(Permission.REVOCATIONS_READ)
def appeal(appeal_id):
    return _render_appeal(get_or_404(Appeal, appeal_id))


@bp.route("/appeals/<int:appeal_id>/hearings", methods=["POST"])
@requires(Permission.REVOCATIONS_WRITE)
def appeal_hearing(appeal_id):
    appeal = get_or_404(Appeal, appeal_id)
    form = AppealHearingForm()
    done = submit(
        form, lambda: operations.add_appeal_hearing(current_user, appeal, form.hearing_on.data, form.purpose.data),
        field="hearing_on",
        redirect_to=lambda _: _appeal_url(appeal),
        message="Hearing date added")
    return done or _render_appeal(appeal, hearing_form=form)


@bp.route("/appeals/<int:appeal_id>/outcome", methods=["POST"])
@requires(Permission.REVOCATIONS_WRITE)
def appeal_outcome(appeal_id):
    appeal = get_or_404(Appeal, appeal_id)
    form = OutcomeForm()
    done = submit(
        form, lambda: operations.record_appeal_outcome(
            current_user, appeal, outcome=form.outcome.data, decided_on=form.decided_on.data,
            notes=form.notes.data, varied_kind=form.varied_kind.data or None,
            varied_suspension_to=form.varied_suspension_to.data, costs_direction=form.costs_direction.data,
            costs_pence=pounds_to_pence(form.costs.data), version=form.version.data, today=_today()),
        field="outcome",
        redirect_to=lambda _: _appeal_url(appeal),
        message="Outcome recorded")
    return done or _render_appeal(appeal, outcome_form=form)


@bp.route("/appeals/<int:appeal_id>/further", methods=["POST"])
@requires(Permission.REVOCATIONS_WRITE)
def further_appeal(appeal_id):
    parent = get_or_404(Appeal, appeal_id)
    form = AppealForm()
    done = submit(
        form, lambda: operations.lodge_appeal(
            current_user, parent.licence, parent=parent, subject=form.subject.data, lodged_on=form.lodged_on.data,
            grounds=form.grounds.data, court_reference=form.court_reference.data, today=_today()),
        field="lodged_on",
        redirect_to=_appeal_url)
    return done or _render_appeal(parent, further_form=form)


# --- NR3S -----------------------------------------------------------------------------------

@bp.route("/nr3s")
@requires(Permission.REVOCATIONS_READ)
def nr3s():
    outstanding = request.args.get("outstanding") == "1"
    return render_template("revocations/nr3s.html", entries=queries.nr3s_entries(_today(), outstanding),
                           outstanding=outstanding, today=_today())


def _officer_choices(field):
    officers = db.session.execute(sa.select(User).where(User.role.in_((Role.OFFICER, Role.MANAGER)),
                                                        User.is_enabled.is_(True)).order_by(User.name)).scalars()
    field.choices = [("", "Choose")] + [(u.id, u.name) for u in officers]


def _render_entry(entry, **forms):
    entry_form = forms.get("entry_form") or Nr3sEntryForm(version=entry.version, entered_by_id=current_user.id)
    _officer_choices(entry_form.entered_by_id)
    return render_template("revocations/nr3s_entry.html", form=_failed(forms), entry=entry, today=_today(),
                           entry_form=entry_form,
                           update_form=forms.get("update_form") or Nr3sUpdateForm(version=entry.version))


@bp.route("/nr3s/<int:entry_id>")
@requires(Permission.REVOCATIONS_READ)
def nr3s_entry(entry_id):
    return _render_entry(get_or_404(Nr3sEntry, entry_id))


@bp.route("/nr3s/<int:entry_id>/entered", methods=["POST"])
@requires(Permission.REVOCATIONS_WRITE)
def nr3s_entered(entry_id):
    entry = get_or_404(Nr3sEntry, entry_id)
    form = Nr3sEntryForm()
    _officer_choices(form.entered_by_id)
    done = submit(
        form, lambda: duties.record_nr3s_entry(current_user, entry, entered_on=form.entered_on.data,
                                         entered_by_id=form.entered_by_id.data, reference=form.reference.data,
                                         version=form.version.data, today=_today()),
        field="entered_on",
        redirect_to=lambda _: url_for("revocations.nr3s_entry", entry_id=entry_id),
        message="NR3S entry recorded")
    return done or _render_entry(entry, entry_form=form)


@bp.route("/nr3s/<int:entry_id>/updated", methods=["POST"])
@requires(Permission.REVOCATIONS_WRITE)
def nr3s_updated(entry_id):
    entry = get_or_404(Nr3sEntry, entry_id)
    form = Nr3sUpdateForm()
    done = submit(
        form, lambda: duties.record_nr3s_update(current_user, entry, updated_on=form.updated_on.data,
                                                note=form.note.data, version=form.version.data, today=_today()),
        field="updated_on",
        redirect_to=lambda _: url_for("revocations.nr3s_entry", entry_id=entry_id),
        message="NR3S update recorded")
    return done or _render_entry(entry, update_form=form)


@bp.route("/nr3s/searches")
@requires(Permission.REVOCATIONS_READ)
def nr3s_searches():
    matches_only, page = request.args.get("matches") == "1", page_arg()
    rows, total = queries.nr3s_searches(matches_only, page)
    return render_template("revocations/nr3s_searches.html", rows=rows, total=total, page=page,
                           pages=page_count(total, queries.PER_PAGE),
                           matches_only=matches_only)


def _nr3s_check(check_id):
    check = get_or_404(ComplianceCheck, check_id)
    if check.kind != CheckKind.NR3S_SEARCH:
        abort(404)
    return check


def _render_search(check, **forms):
    request_row = db.session.execute(sa.select(Nr3sRequest).filter_by(check_id=check.id)).scalar_one_or_none()
    return render_template("revocations/nr3s_search.html", form=_failed(forms), check=check, request_row=request_row,
                           request_form=forms.get("request_form") or Nr3sRequestForm(),
                           reply_form=forms.get("reply_form") or ReplyForm(
                               version=request_row.version if request_row else None))


@bp.route("/nr3s/searches/<int:check_id>")
@requires(Permission.REVOCATIONS_READ)
def nr3s_search(check_id):
    return _render_search(_nr3s_check(check_id))


@bp.route("/nr3s/searches/<int:check_id>/request", methods=["POST"])
@requires(Permission.REVOCATIONS_WRITE)
def nr3s_request(check_id):
    check = _nr3s_check(check_id)
    form = Nr3sRequestForm()
    done = submit(
        form, lambda: duties.record_nr3s_request(current_user, check, recording_authority=form.recording_authority.data,
                                           requested_on=form.requested_on.data, today=_today()),
        field="recording_authority",
        redirect_to=lambda _: url_for("revocations.nr3s_search", check_id=check_id),
        message="Request recorded")
    return done or _render_search(check, request_form=form)


@bp.route("/nr3s/searches/<int:check_id>/reply", methods=["POST"])
@requires(Permission.REVOCATIONS_WRITE)
def nr3s_reply(check_id):
    check = _nr3s_check(check_id)
    row = db.session.execute(sa.select(Nr3sRequest).filter_by(check_id=check.id)).scalar_one_or_none()
    if row is None:
        abort(404)
    form = ReplyForm()
    done = submit(
        form, lambda: duties.record_nr3s_reply(current_user, row, reply_on=form.reply_on.data,
                                               summary=form.summary.data, version=form.version.data, today=_today()),
        field="reply_on",
        redirect_to=lambda _: url_for("revocations.nr3s_search", check_id=check_id),
        message="Reply recorded")
    return done or _render_search(check, reply_form=form)


# --- cross-border referrals -----------------------------------------------------------------

@bp.route("/referrals")
@requires(Permission.REVOCATIONS_READ)
def referrals():
    outstanding, page = request.args.get("outstanding") == "1", page_arg()
    rows, total = queries.referrals(_today(), outstanding, page)
    return render_template("revocations/referrals.html", rows=rows, total=total, page=page,
                           pages=page_count(total, queries.PER_PAGE), outstanding=outstanding, today=_today())


@bp.route("/referrals/new", methods=["GET", "POST"])
@requires(Permission.REVOCATIONS_WRITE)
def new_referral():
    form = ReferralForm()
    done = submit(
        form, lambda: duties.create_referral(
            current_user, received_on=form.received_on.data, other_authority=form.other_authority.data,
            driver_name=form.driver_name.data, information=form.information.data,
            other_licence_number=form.other_licence_number.data,
            vehicle_registration=form.vehicle_registration.data, today=_today()),
        field="received_on",
        redirect_to=lambda referral: url_for("revocations.referral", referral_id=referral.id))
    return done or render_template("revocations/new_referral.html", form=form)


def _render_referral(referral, **forms):
    return render_template("revocations/referral.html", form=_failed(forms), referral=referral, today=_today(),
                           sent_form=forms.get("sent_form") or ReferralSentForm(version=referral.version),
                           reply_form=forms.get("reply_form") or ReplyForm(version=referral.version))


@bp.route("/referrals/<int:referral_id>")
@requires(Permission.REVOCATIONS_READ)
def referral(referral_id):
    return _render_referral(get_or_404(CrossBorderReferral, referral_id))


@bp.route("/referrals/<int:referral_id>/sent", methods=["POST"])
@requires(Permission.REVOCATIONS_WRITE)
def referral_sent(referral_id):
    referral = get_or_404(CrossBorderReferral, referral_id)
    form = ReferralSentForm()
    done = submit(
        form, lambda: duties.record_referral_sent(current_user, referral, sent_on=form.sent_on.data,
                                            what_sent=form.what_sent.data, version=form.version.data, today=_today()),
        field="sent_on",
        redirect_to=lambda _: url_for("revocations.referral", referral_id=referral_id),
        message="Referral recorded as sent")
    return done or _render_referral(referral, sent_form=form)


@bp.route("/referrals/<int:referral_id>/reply", methods=["POST"])
@requires(Permission.REVOCATIONS_WRITE)
def referral_reply(referral_id):
    referral = get_or_404(CrossBorderReferral, referral_id)
    form = ReplyForm()
    done = submit(
        form, lambda: duties.record_referral_reply(current_user, referral, reply_on=form.reply_on.data,
                                             summary=form.summary.data, version=form.version.data, today=_today()),
        field="reply_on",
        redirect_to=lambda _: url_for("revocations.referral", referral_id=referral_id),
        message="Reply recorded")
    return done or _render_referral(referral, reply_form=form)


from licensing.revocations import delegated_views  # noqa: E402,F401 - its routes join this blueprint

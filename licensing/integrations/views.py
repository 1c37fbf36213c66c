"""Pages for outside services: the outbox (backlog, failures, requeue), GOV.UK Notify's delivery
receipts, and officers' lookups (DVLA vehicle enquiry, MOT history, DBS Update Service, DVLA check
code), each a form post whose answer is kept as a lookup and shown on its own page."""

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, jsonify, render_template, request, url_for

from licensing.extensions import csrf, db
from licensing.integrations import dvla
from licensing.integrations.forms import (
    DbsConsentForm,
    DriverCheckForm,
    LookupButtonForm,
    RegistrationForm,
    RequeueForm,
)
from licensing.integrations.notify import callback_authorised, parse_receipt
from licensing.integrations.operations import (
    apply_receipt,
    dbs_status_check,
    mot_history,
    record_dbs_consent,
    record_driver_check,
    requeue,
    vehicle_enquiry,
)
from licensing.integrations.queries import failed_messages, outbox_counts, services_configured
from licensing.models import ComplianceCheck, DbsConsent, LicenceHolder, LookupService, ServiceLookup, Vehicle
from licensing.permissions import Permission, authorise, get_or_404, public, requires
from licensing.web.submit import actor, submit

bp = Blueprint("integrations", __name__, url_prefix="/integrations")


@bp.app_template_global()
def outbox_summary():
    """For the admin's home page: the outbox's backlog and failures."""
    return outbox_counts()


@bp.route("/outbox", methods=["GET", "POST"])
@requires(Permission.JOBS_READ)
def outbox():
    form = RequeueForm()
    if request.method == "POST":
        authorise(_can_manage(), "sending failed messages again needs outbox:manage")
        ids = [int(form.message_id.data)] if (form.message_id.data or "").isdigit() else None
        done = submit(form, lambda: requeue(actor(), form.reason.data, ids), redirect_to=url_for(".outbox"),
                      message=lambda n: f"{n} message{'s' if n != 1 else ''} queued to be sent again")
        if done:
            return done
    return render_template("integrations/outbox.html", form=form, counts=outbox_counts(),
                           failed=failed_messages(), can_manage=_can_manage())


def _can_manage():
    return actor().can(Permission.OUTBOX_MANAGE)


@bp.route("/notify/receipts", methods=["POST"])
@public
@csrf.exempt
def notify_receipt():
    """GOV.UK Notify's delivery receipt callback, authenticated by the bearer token the council set
    in Notify (NOTIFY_CALLBACK_TOKEN). Off (404) until the token is configured."""
    token = current_app.config.get("NOTIFY_CALLBACK_TOKEN")
    if not token:
        abort(404)
    if not callback_authorised(request.headers.get("Authorization"), token):
        return jsonify(error="unauthorised"), 401
    receipt = parse_receipt(request.get_json(silent=True))
    if receipt is None:
        return jsonify(error="not a delivery receipt"), 400
    message = apply_receipt(receipt[0], receipt[1])
    return jsonify(status="recorded" if message is not None else "unknown notification"), 200


# Lookups ---------------------------------------------------------------------------------------

def _lookup_url(lookup):
    return url_for(".lookup", lookup_id=lookup.id)


@bp.route("/holders/<int:holder_id>/vehicle-enquiry", methods=["GET", "POST"])
@requires(Permission.REGISTER_WRITE)
def holder_vehicle_enquiry(holder_id):
    holder = get_or_404(LicenceHolder, holder_id)
    form = RegistrationForm()
    done = submit(form, lambda: vehicle_enquiry(actor(), current_app.config, form.registration.data, holder=holder),
                  redirect_to=_lookup_url, field="registration")
    return done or render_template("integrations/vehicle_enquiry.html", form=form, holder=holder,
                                   configured=services_configured(current_app.config))


@bp.route("/vehicles/<int:vehicle_id>/<any(dvla_vehicle, mot_history):service>", methods=["GET", "POST"])
@requires(Permission.REGISTER_WRITE)
def vehicle_lookup(vehicle_id, service):
    vehicle = get_or_404(Vehicle, vehicle_id)
    if vehicle.proprietor is None:
        abort(404)
    form = LookupButtonForm()
    config = current_app.config

    def change():
        if service == "dvla_vehicle":
            return vehicle_enquiry(actor(), config, vehicle.registration, vehicle=vehicle)
        return mot_history(actor(), config, vehicle)

    done = submit(form, change, redirect_to=_lookup_url)
    return done or render_template("integrations/vehicle_lookup.html", form=form, vehicle=vehicle,
                                   holder=vehicle.proprietor, service=LookupService(service),
                                   configured=services_configured(config)[service])


@bp.route("/holders/<int:holder_id>/dbs-consent", methods=["GET", "POST"])
@requires(Permission.REGISTER_WRITE)
def dbs_consent(holder_id):
    holder = get_or_404(LicenceHolder, holder_id)
    form = DbsConsentForm()
    done = submit(form, lambda: record_dbs_consent(actor(), holder, form.data),
                  redirect_to=url_for("holders.show_holder", holder_id=holder.id),
                  message="Consent to DBS Update Service checks recorded")
    return done or render_template("integrations/dbs_consent.html", form=form, holder=holder,
                                   configured=services_configured(current_app.config)["dbs_update"])


@bp.route("/dbs-consents/<int:consent_id>/check", methods=["GET", "POST"])
@requires(Permission.REGISTER_WRITE)
def dbs_check(consent_id):
    consent = get_or_404(DbsConsent, consent_id)
    form = LookupButtonForm()
    done = submit(form, lambda: dbs_status_check(actor(), current_app.config, consent), redirect_to=_lookup_url)
    return done or render_template("integrations/dbs_check.html", form=form, consent=consent, holder=consent.holder,
                                   configured=services_configured(current_app.config)["dbs_update"])


@bp.route("/holders/<int:holder_id>/driver-check", methods=["GET", "POST"])
@requires(Permission.REGISTER_WRITE)
def driver_check(holder_id):
    holder = get_or_404(LicenceHolder, holder_id)
    form = DriverCheckForm()
    done = submit(form, lambda: record_driver_check(actor(), holder, form.data),
                  redirect_to=url_for("holders.show_holder", holder_id=holder.id),
                  message="DVLA licence check recorded")
    return done or render_template("integrations/driver_check.html", form=form, holder=holder)


@bp.route("/lookups/<int:lookup_id>")
@requires(Permission.HOLDERS_READ)
def lookup(lookup_id):
    found = get_or_404(ServiceLookup, lookup_id)
    vehicle = db.session.get(Vehicle, found.vehicle_id) if found.vehicle_id else None
    differences = (dvla.compare_with_register(vehicle, found.result or {})
                   if vehicle is not None and found.service == LookupService.DVLA_VEHICLE else [])
    check = db.session.scalars(sa.select(ComplianceCheck).where(ComplianceCheck.lookup_id == found.id)).first()
    return render_template("integrations/lookup.html", lookup=found, holder=found.holder, vehicle=vehicle,
                           differences=differences, check=check)

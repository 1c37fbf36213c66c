"""Licence pages: application, decision, renewal, status changes."""

import sqlalchemy as sa
from flask import render_template, request, url_for

from licensing.errors import check_version
from licensing.extensions import db
from licensing.holders.access import can_edit_register, can_view_holder
from licensing.holders.forms import LicenceApplicationForm, RenewalForm, StatusChangeForm
from licensing.holders.operations.licences import (
    DECISION_MOVES,
    allowed_moves,
    apply_for_licence,
    change_status,
    pending_application,
    record_renewal,
)
from licensing.holders.views import bp
from licensing.models import Licence, LicenceApplication, LicenceHolder, LicenceStatus, Vehicle
from licensing.permissions import Permission, authorise, get_or_404, requires
from licensing.web.submit import actor, submit


@bp.route("/<int:holder_id>/licences/new", methods=["GET", "POST"])
@requires(Permission.REGISTER_WRITE)
def new_licence(holder_id):
    holder = get_or_404(LicenceHolder, holder_id)
    form = LicenceApplicationForm()
    vehicles = db.session.execute(
        sa.select(Vehicle).where(Vehicle.proprietor_id == holder.id).order_by(Vehicle.registration)
    ).scalars().all()
    form.vehicle_id.choices = [("", "No vehicle")] + [(str(v.id), f"{v.registration} ({v.make} {v.model})")
                                                      for v in vehicles]
    done = submit(
        form, lambda: apply_for_licence(
            actor(), holder, licence_type=form.licence_type.data, licence_number=form.licence_number.data,
            received_on=form.received_on.data,
            vehicle=db.session.get(Vehicle, int(form.vehicle_id.data)) if form.vehicle_id.data else None,
            operator_licence_number=form.operator_licence_number.data, badge_number=form.badge_number.data,
            conditions=form.conditions.data,
        ),
        redirect_to=_licence_url, message=lambda licence: f"Application for licence {licence.licence_number} recorded")
    return done or render_template("holders/licence_form.html", form=form, holder=holder)


def _licence_url(licence):
    return url_for("holders.show_licence", licence_id=licence.id)


@bp.route("/licences/<int:licence_id>")
@requires(Permission.HOLDERS_READ)
def show_licence(licence_id):
    licence = get_or_404(Licence, licence_id)
    authorise(can_view_holder(actor(), licence.holder))
    applications = db.session.execute(
        sa.select(LicenceApplication).where(LicenceApplication.licence_id == licence.id)
        .order_by(LicenceApplication.received_on.desc(), LicenceApplication.id.desc())
    ).scalars().all()
    return render_template(
        "holders/licence.html", licence=licence, holder=licence.holder, applications=applications,
        pending=pending_application(licence), moves=_manual_moves(licence),
        can_edit=can_edit_register(actor()),
    )


@bp.route("/licences/<int:licence_id>/decided")
@requires(Permission.HOLDERS_READ)
def decided(licence_id):
    """Confirmation after deciding an application: the latest decision on this licence."""
    licence = get_or_404(Licence, licence_id)
    authorise(can_view_holder(actor(), licence.holder))
    latest = db.session.execute(
        sa.select(LicenceApplication).where(LicenceApplication.licence_id == licence.id,
                                            LicenceApplication.decided_on.is_not(None))
        .order_by(LicenceApplication.decided_on.desc(), LicenceApplication.id.desc())
    ).scalars().first()
    return render_template("holders/decided.html", licence=licence, holder=licence.holder, application=latest)


@bp.route("/licences/<int:licence_id>/renewal", methods=["GET", "POST"])
@requires(Permission.REGISTER_WRITE)
def renew(licence_id):
    licence = get_or_404(Licence, licence_id)
    form = RenewalForm()
    if request.method == "GET":
        form.version.data = licence.version
    done = submit(form, lambda: record_renewal(actor(), licence, received_on=form.received_on.data,
                                               version=form.version.data),
                  redirect_to=_licence_url(licence), message="Renewal application recorded")
    return done or render_template("holders/renewal_form.html", form=form, licence=licence, holder=licence.holder)


# Moves made on the licence page. Grant and refusal are decisions on an application; suspension,
# revocation and reinstatement go through a review case, which calls `change_status` itself.
PAGE_MOVES = frozenset({LicenceStatus.SURRENDERED, LicenceStatus.EXPIRED})


def _manual_moves(licence):
    return [s for s in allowed_moves(licence) if s in PAGE_MOVES and (licence.status, s) not in DECISION_MOVES]


@bp.route("/licences/<int:licence_id>/status", methods=["GET", "POST"])
@requires(Permission.REGISTER_WRITE)
def change_licence_status(licence_id):
    licence = get_or_404(Licence, licence_id)
    form = StatusChangeForm()
    form.new_status.choices = [(s.value, s.label) for s in _manual_moves(licence)]
    if request.method == "GET":
        form.version.data = licence.version

    def change():
        check_version(licence, form.version.data, "licence")
        change_status(actor(), licence, form.new_status.data, form.reason.data)
        return licence

    done = submit(form, change, redirect_to=_licence_url,
                  message=lambda _: f"Licence {licence.licence_number} is now {licence.status.label.lower()}")
    return done or render_template("holders/status_form.html", form=form, licence=licence, holder=licence.holder)

"""Holder pages: create, edit, view; vehicles."""

import datetime as dt

from flask import abort, render_template, request, url_for

from licensing.extensions import db
from licensing.holders.access import can_edit_register, can_read_intelligence, can_view_holder
from licensing.holders.checks import CHECK_KIND_VALUES
from licensing.holders.forms import HolderForm, VehicleForm
from licensing.holders.operations.holders import (
    HOLDER_FIELDS,
    VEHICLE_FIELDS,
    create_holder,
    create_vehicle,
    record_intelligence_view,
    update_holder,
    update_vehicle,
)
from licensing.holders.queries.fitness import holder_fitness
from licensing.holders.queries.holder_page import (
    RESTRICTED_ENTITY_TYPES,
    describe_event,
    holder_presence,
    holder_record,
    holder_sections,
    holder_timeline,
)
from licensing.holders.views import bp
from licensing.models import LicenceHolder, Vehicle
from licensing.permissions import Permission, authorise, get_or_404, requires
from licensing.web.paging import page_arg, page_count
from licensing.web.submit import actor, submit


@bp.route("/new", methods=["GET", "POST"])
@requires(Permission.REGISTER_WRITE)
def new_holder():
    form = HolderForm()
    if request.method == "GET":
        del form.not_a_duplicate  # asked only once a likely duplicate is found
    done = submit(form, lambda: create_holder(actor(), form.data, warn_of_duplicates=True), redirect_to=_holder_url,
                  message=lambda holder: f"Licence holder {holder.holder_ref} created")
    return done or render_template("holders/holder_form.html", form=form, holder=None)


def _holder_url(holder):
    return url_for("holders.show_holder", holder_id=holder.id)


@bp.route("/<int:holder_id>")
@requires(Permission.HOLDERS_READ)
def show_holder(holder_id):
    holder = get_or_404(LicenceHolder, holder_id)
    user = actor()
    authorise(can_view_holder(user, holder))
    cleared = can_read_intelligence(user, holder)
    today = dt.date.today()
    page = page_arg()
    present = holder_presence(holder.id)
    record = holder_record(holder, today, with_intelligence=cleared, present=present,
                           with_convictions=user.can(Permission.CONVICTIONS_READ))
    fitness, record["compliance"] = holder_fitness(holder, today, record, present)
    events, total_events = holder_timeline(holder.id, include_intelligence=cleared, page=page, present=present)
    html = render_template(
        "holders/show.html", holder=holder, events=events, page=page,
        pages=page_count(total_events, 50), sections=holder_sections(holder, today, record, present),
        can_edit=can_edit_register(user), describe=describe_event, fitness=fitness,
        check_kinds=CHECK_KIND_VALUES,  # the compliance section links a check's reason to its form
        **record,
    )
    if cleared and _shows_restricted(present, events):
        # Only when something restricted was on the page: a view of nothing is no view, and each
        # one writes to the audit chain. Recorded last, so the trail's head is locked only for this
        # write and the edge's commit; flushed here, so that if the view cannot be recorded, the
        # page is not shown.
        record_intelligence_view(user, holder, "holder page and timeline")
        db.session.flush()
    return html


def _shows_restricted(present, events):
    """Whether the holder page shows intelligence: the section, or restricted rows in the timeline."""
    return "intelligence" in present or any(event.entity_type in RESTRICTED_ENTITY_TYPES for event in events)


@bp.route("/<int:holder_id>/edit", methods=["GET", "POST"])
@requires(Permission.REGISTER_WRITE)
def edit_holder(holder_id):
    holder = get_or_404(LicenceHolder, holder_id)
    form = HolderForm(obj=holder)
    del form.not_a_duplicate  # an edit keeps the same person
    if request.method == "GET":
        form.version.data = holder.version
    done = submit(form, lambda: update_holder(actor(), holder, form.data, form.version.data),
                  redirect_to=_holder_url(holder), message="Licence holder details saved")
    if done:
        return done
    _reload_on_conflict(form, holder, HOLDER_FIELDS)
    return render_template("holders/holder_form.html", form=form, holder=holder)


def _reload_on_conflict(form, record, fields):
    """After a lost race, show the record as it now is, keeping the conflict message (shown at the
    top of the form, the version field being hidden)."""
    if not any("changed" in message for message in form.form_errors):
        return
    db.session.refresh(record)
    for name in fields:
        field = getattr(form, name)
        field.data, field.raw_data = getattr(record, name), None
    form.version.data = record.version


@bp.route("/<int:holder_id>/vehicles/new", methods=["GET", "POST"])
@requires(Permission.REGISTER_WRITE)
def new_vehicle(holder_id):
    holder = get_or_404(LicenceHolder, holder_id)
    # A DVLA vehicle enquiry (licensing/integrations) links here with what it found filled in.
    form = VehicleForm(data={k: request.args[k] for k in ("registration", "make", "colour") if request.args.get(k)})
    done = submit(form, lambda: create_vehicle(actor(), holder, form.data), redirect_to=_holder_url(holder),
                  message=lambda vehicle: f"Vehicle {vehicle.registration} added")
    return done or render_template("holders/vehicle_form.html", form=form, holder=holder, vehicle=None)


@bp.route("/vehicles/<int:vehicle_id>/edit", methods=["GET", "POST"])
@requires(Permission.REGISTER_WRITE)
def edit_vehicle(vehicle_id):
    vehicle = get_or_404(Vehicle, vehicle_id)
    holder = vehicle.proprietor
    if holder is None:
        abort(404)
    form = VehicleForm(obj=vehicle)
    if request.method == "GET":
        form.version.data = vehicle.version
    done = submit(form, lambda: update_vehicle(actor(), vehicle, form.data, form.version.data),
                  redirect_to=_holder_url(holder), message=lambda _: f"Vehicle {vehicle.registration} saved")
    if done:
        return done
    _reload_on_conflict(form, vehicle, VEHICLE_FIELDS)
    return render_template("holders/vehicle_form.html", form=form, holder=holder, vehicle=vehicle)

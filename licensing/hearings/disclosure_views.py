"""Hearing routes for disclosure to the licence holder and for the published bundles: the case's
disclosure page, publishing the agenda, and downloading a published bundle as stored."""

import datetime as dt

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from licensing.hearings import bundles, disclosure, material, publication, queries
from licensing.hearings.forms import DisclosureForm, PublishForm
from licensing.hearings.views import _hearing_or_404, _listing_or_404, bp
from licensing.models import ReviewCase
from licensing.permissions import Permission, get_or_404, requires
from licensing.web.downloads import attachment
from licensing.web.submit import submit


def _case_or_404(case_id):
    case = get_or_404(ReviewCase, case_id)
    if not case.can_view(current_user):
        abort(404)
    return case


def _item_label(item):
    state = {"disclosed": "disclosed", "withheld": "withheld, gist disclosed"}.get(item.state, "not disclosed")
    return f"{item.kind.label}: {item.title} ({state})"


@bp.route("/cases/<int:case_id>/disclosure", methods=["GET", "POST"])
@requires(Permission.HEARINGS_WRITE)
def disclosure_page(case_id):
    case = _case_or_404(case_id)
    summary = material.summary_for(case, current_user)
    form = DisclosureForm()
    form.item.choices = [("", "Choose")] + [(item.key, _item_label(item)) for item in summary.items]
    if not form.is_submitted():
        form.disclosed_on.data = dt.date.today()
    done = submit(form, lambda: disclosure.record_disclosure(
        current_user, case, form.item.data, decision=form.decision.data, disclosed_on=form.disclosed_on.data,
        method=form.method.data, extent=form.extent.data, withheld_reason=form.withheld_reason.data,
        gist=form.gist.data), field="item", redirect_to=url_for("hearings.disclosure_page", case_id=case.id),
        message="Disclosure recorded")
    listing = queries.latest_listing(case.id)
    return done or render_template("hearings/disclosure.html", case=case, summary=summary, form=form,
                                   listing=listing, marker=bundles.marker)


@bp.route("/<int:hearing_id>/publish", methods=["POST"])
@requires(Permission.HEARINGS_WRITE)
def publish(hearing_id):
    hearing = _hearing_or_404(hearing_id)
    form = PublishForm()

    def published(result):
        issued, unchanged, undisclosed = result
        flash(f"Agenda published: {len(issued)} case bundle(s) issued to the panel and the licence holder"
              + (f", {unchanged} unchanged since the last version" if unchanged else "") + "."
              + (f" Warning: {undisclosed} case(s) have panel material not disclosed to the licence holder; "
                 "their holder's bundle leaves it out." if undisclosed else ""))
        return redirect(url_for("hearings.hearing", hearing_id=hearing.id))

    done = submit(form, lambda: publication.publish_agenda(current_user, hearing), on_success=published)
    if done:
        return done
    for message in form.form_errors + form.submit.errors:
        flash(f"The agenda was not published: {message}")
    return redirect(url_for("hearings.hearing", hearing_id=hearing.id))


@bp.route("/listings/<int:listing_id>/bundles/<int:bundle_id>.pdf")
@requires(Permission.HEARINGS_READ)
def published_bundle(listing_id, bundle_id):
    listing = _listing_or_404(listing_id)
    found = publication.published_for(listing, bundle_id)
    if found is None or (found.audience == bundles.A.HOLDER and not current_user.can(Permission.HEARINGS_READ_ALL)):
        abort(404)  # the panel reads the panel's copy
    content = bundles.download_published(current_user, found)  # audited: the edge commits it with the 200
    return attachment(content, found.filename, "application/pdf")

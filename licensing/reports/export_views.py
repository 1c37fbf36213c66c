"""Large report downloads: asked for by a form, made in the background, fetched from a progress
page by its unguessable address (licensing.reports.exports)."""

from flask import abort, current_app, redirect, render_template, url_for

from licensing.extensions import db
from licensing.models import ReportExport
from licensing.permissions import Permission, requires
from licensing.reports import exports
from licensing.reports.forms import ExportForm
from licensing.reports.periods import PeriodError, Quarter
from licensing.reports.views import bp
from licensing.web.downloads import attachment
from licensing.web.submit import actor, submit

FORMAT_NAMES = {"csv": "CSV", "xlsx": "Excel", "pdf": "PDF"}


def large_download_page(quarter, fmt):
    """The page offered instead of a download over the threshold."""
    form = ExportForm(data={"quarter": quarter.name, "fmt": fmt})
    return render_template("reports/export_request.html", form=form, quarter=quarter, fmt_name=FORMAT_NAMES[fmt])


@bp.route("/exports", methods=["POST"])
@requires(Permission.REPORTS_READ)
def request_export():
    form = ExportForm()
    try:
        quarter = Quarter.parse(form.quarter.data)
    except PeriodError:
        abort(400, "Choose a quarter like 2016-17-Q2")
    done = submit(form, lambda: exports.request_export(actor(), quarter, form.fmt.data),
                  on_success=lambda export: _started(export))
    if done is None:
        abort(400, "Choose the quarter and the format")
    return done


def _started(export):
    response = redirect(url_for("reports.export_progress", token=export.token))
    app, export_id = current_app._get_current_object(), export.id
    # Begun once the response is sent, after the request's edge has committed the request.
    response.call_on_close(lambda: exports.start(app, export_id))
    return response


def _own_export(token):
    """The export its unguessable token names. Anyone who may read reports may fetch it (the same
    figures are theirs to download), and each download is audited under their name."""
    export = db.session.scalars(db.select(ReportExport).filter_by(token=token)).first()
    if export is None:
        abort(404)
    return export


@bp.route("/exports/<token>")
@requires(Permission.REPORTS_READ)
def export_progress(token):
    export = _own_export(token)
    return render_template("reports/export_progress.html", export=export, state=exports.state(export),
                           fmt_name=FORMAT_NAMES.get(export.fmt, export.fmt))


@bp.route("/exports/<token>/file")
@requires(Permission.REPORTS_READ)
def export_file(token):
    export = _own_export(token)
    if exports.state(export) != "done":
        abort(404)
    exports.record_download(actor(), export)
    from licensing.reports.render import FORMATS

    return attachment(export.content, export.filename, FORMATS[export.fmt])

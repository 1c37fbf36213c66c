"""Reports for managers (and officers): on screen with charts, and as CSV, Excel and PDF."""

import datetime as dt

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)

from licensing.permissions import Permission, public, requires
from licensing.reports import charts, periods
from licensing.reports.decision_record import choices as decision_choices
from licensing.reports.decision_record import decisions_in, first_page
from licensing.reports.document import Drill, cell_text
from licensing.reports.exports import is_large
from licensing.reports.forms import DecisionRecordForm, HearingOutcomesForm, PeriodForm, QuarterForm, SnapshotForm
from licensing.reports.hearings import bodies_and_makers
from licensing.reports.paged import quarterly_page
from licensing.reports.periods import PeriodError, Quarter, financial_year_start
from licensing.reports.records import UnknownFigure, figure_records
from licensing.reports.render import FORMATS, csv_chunks, render
from licensing.reports.service import FIRST_QUARTER, build
from licensing.reports.store import quarterly_report
from licensing.text import field_name
from licensing.web.downloads import DOWNLOAD_CSP, attachment
from licensing.web.limits import one_of_few
from licensing.web.paging import page_arg, page_count

bp = Blueprint("reports", __name__, url_prefix="/reports")
# The published record of decisions, beside the public register: anyone may read it.
public_bp = Blueprint("decision_register", __name__, url_prefix="/public-register/decisions")
PUBLIC_CACHE = "public, max-age=300"
PAGE_ROWS = 500  # the record's rows shown on its page; the downloads have them all
# Each report's heading, kept on its page when the period asked for is wrong.
TITLES = {"quarterly": "Quarterly compliance report", "hearings": "Licensing hearing outcomes",
          "statistics": "Licensing statistics", "snapshot": "Licensing snapshot",
          "agreement": "Panel decision agreement", "decisions": "Record of decisions"}


def _quarters(today):
    quarters, q = [], Quarter.containing(today)
    while q.start >= FIRST_QUARTER.start:
        quarters.append(q)
        q = q.previous()
    return quarters


def _default_quarter(today):
    return Quarter.containing(today).previous()


def _period_args(form):
    """(start, end) from ?from=&to= (ISO), else from the date boxes, else this financial year.
    None when the dates are wrong, with the errors at the form's fields (as for the boxes): the
    page keeps its heading and shows them in the error summary."""
    today = periods.today()
    if request.args.get("from") or request.args.get("to"):
        return form.read_address(request.args.get("from", ""), request.args.get("to", ""))
    if "start" in request.args:
        if form.validate():
            return form.start.data, form.end.data
        return None
    return financial_year_start(today), today


def _format():
    fmt = request.args.get("format", "csv")
    if fmt not in FORMATS:
        abort(400, "Choose csv, xlsx or pdf")
    return fmt


def _streamed_csv(report):
    """The CSV sent as it is written, in pieces of bounded size."""
    response = Response(stream_with_context(csv_chunks(report)), mimetype=FORMATS["csv"])
    response.headers["Content-Disposition"] = f"attachment; filename={report.filename}.csv"
    response.headers["Content-Security-Policy"] = DOWNLOAD_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


def _file(report, fmt):
    if fmt == "csv":
        return _streamed_csv(report)
    content = render(report, fmt, current_app.config.get("COUNCIL_NAME", ""))
    return attachment(content, f"{report.filename}.{fmt}", FORMATS[fmt])


def _download(kind, **params):
    fmt = _format()
    # At most a few report downloads at once in each worker: the others' pages keep their threads.
    return one_of_few("report-export", current_app.config["REPORT_EXPORT_CONCURRENCY"],
                      lambda: _file(build(kind, **params), fmt))


def _page(report, form, export_endpoint, export_args):
    return render_template("reports/report.html", report=report, form=form, export_endpoint=export_endpoint,
                           export_args=export_args, formats=list(FORMATS))


@bp.app_template_global("report_cell")
def report_cell(value):
    return cell_text(value)


@bp.app_template_test("drill")
def is_drill(value):
    return isinstance(value, Drill)


@bp.app_template_global("report_chart")
def report_chart(chart):
    return charts.layout(chart)


@bp.route("/")
@requires(Permission.REPORTS_READ)
def index():
    return render_template("reports/index.html")


def _quarter_form():
    """(form, quarter), or (form, None) with the error at the field when the quarter is wrong."""
    today = periods.today()
    form = QuarterForm(request.args)
    form.quarter.choices = [(q.name, q.label) for q in _quarters(today)]
    if not request.args.get("quarter"):
        form.quarter.data = _default_quarter(today).name
    try:
        return form, Quarter.parse(form.quarter.data)
    except PeriodError:
        form.quarter.errors = ["Choose a quarter from the list"]
        return form, None


def _error_page(kind, form):
    """The report's own page, heading and form with the errors, and no figures."""
    return render_template("reports/report.html", report=None, form=form, title=TITLES[kind]), 400


@bp.route("/quarterly")
@requires(Permission.REPORTS_READ)
def quarterly():
    """The figures, trend and reasons; the licences not adhering a page at a time. A closed
    quarter is read from the store when it has been stored."""
    form, quarter = _quarter_form()
    if quarter is None:
        return _error_page("quarterly", form)
    report, page, stored = quarterly_page(quarter, periods.today(), request.args.get("after"),
                                          request.args.get("before"))
    return render_template("reports/report.html", report=report, form=form,
                           export_endpoint="reports.quarterly_export", export_args={"quarter": quarter.name},
                           formats=list(FORMATS), listing_page=page, stored=stored,
                           page_args={"quarter": quarter.name})


@bp.route("/quarterly/export")
@requires(Permission.REPORTS_READ)
def quarterly_export():
    _, quarter = _quarter_form()
    if quarter is None:
        abort(400, "Choose a quarter like 2016-17-Q2")
    fmt = _format()
    if fmt == "xlsx" and is_large(quarter, current_app.config["REPORT_BACKGROUND_ROWS"]):
        from licensing.reports.export_views import large_download_page

        return large_download_page(quarter, fmt)
    return one_of_few("report-export", current_app.config["REPORT_EXPORT_CONCURRENCY"],
                      lambda: _file(quarterly_report(quarter, periods.today())[0], fmt))


def _period_report(kind, export_endpoint):
    form = PeriodForm(request.args)
    period = _period_args(form)
    if period is None:
        return _error_page(kind, form)
    if "start" in request.args:
        return redirect(url_for(request.endpoint, **{"from": period[0].isoformat(), "to": period[1].isoformat()}))
    form.start.data, form.end.data = period
    report = build(kind, start=period[0], end=period[1])
    return _page(report, form, export_endpoint, {"from": period[0].isoformat(), "to": period[1].isoformat()})


def _period_download(kind):
    period = _period_args(PeriodForm(request.args))
    if period is None:
        abort(400, "Enter the period")
    return _download(kind, start=period[0], end=period[1])


def _chosen(names):
    """The filter values asked for (?body=&maker=...), leaving out the empty ones."""
    return {name: request.args[name] for name in names if request.args.get(name)}


def _filtered(kind, form, names, offer):
    """(report, export arguments) for a period report with filters whose choices are found in the
    period: `offer(start, end)` gives the choices and any data read for them, passed on to the
    report. (None, None) when the period is wrong; (a redirect to the ISO address, None) when the
    date boxes were sent."""
    period = _period_args(form)
    if period is None:
        form.offer([], [])
        return None, None
    chosen = _chosen(names)
    if "start" in request.args:
        return redirect(url_for(request.endpoint, **{"from": period[0].isoformat(), "to": period[1].isoformat()},
                                **chosen)), None
    form.start.data, form.end.data = period
    choices, read = offer(*period)
    form.offer(*choices)
    report = build(kind, start=period[0], end=period[1], **chosen, **read)
    return report, {"from": period[0].isoformat(), "to": period[1].isoformat(), **chosen}


def _filtered_report(kind, form, export_endpoint, names, offer):
    report, export_args = _filtered(kind, form, names, offer)
    if report is None:
        return _error_page(kind, form)
    if export_args is None:
        return report
    return _page(report, form, export_endpoint, export_args)


def _filtered_download(kind, form, names):
    period = _period_args(form)
    if period is None:
        abort(400, "Enter the period")
    return _download(kind, start=period[0], end=period[1], **_chosen(names))


@bp.route("/hearings")
@requires(Permission.REPORTS_READ)
def hearings():
    return _filtered_report("hearings", HearingOutcomesForm(request.args), "reports.hearings_export",
                            ("body", "maker"), lambda start, end: (bodies_and_makers(start, end), {}))


@bp.route("/hearings/export")
@requires(Permission.REPORTS_READ)
def hearings_export():
    return _filtered_download("hearings", HearingOutcomesForm(request.args), ("body", "maker"))


def decision_filters(start, end):
    """The forums and decision makers of the period, and its decisions (read once for both).
    Unfiltered, the page reads only its first rows, the count and the choices (London-sized
    councils record tens of thousands of decisions a quarter)."""
    if not _chosen(("forum", "maker")):
        entries, total, choices = first_page(start, end, PAGE_ROWS)
        return choices, {"entries": entries, "list_limit": PAGE_ROWS, "total": total}
    entries = decisions_in(start, end)
    return decision_choices(entries), {"entries": entries, "list_limit": PAGE_ROWS}


@bp.route("/decisions")
@requires(Permission.REPORTS_READ)
def decisions():
    """The record of decisions in full: holders, licences and reasons."""
    return _filtered_report("decisions", DecisionRecordForm(request.args), "reports.decisions_export",
                            ("forum", "maker"), decision_filters)


@bp.route("/decisions/export")
@requires(Permission.REPORTS_READ)
def decisions_export():
    return _filtered_download("decisions", DecisionRecordForm(request.args), ("forum", "maker"))


@bp.route("/statistics")
@requires(Permission.REPORTS_READ)
def statistics():
    return _period_report("statistics", "reports.statistics_export")


@bp.route("/statistics/export")
@requires(Permission.REPORTS_READ)
def statistics_export():
    return _period_download("statistics")


@bp.route("/agreement")
@requires(Permission.REPORTS_READ)
def agreement():
    return _period_report("agreement", "reports.agreement_export")


@bp.route("/agreement/export")
@requires(Permission.REPORTS_READ)
def agreement_export():
    return _period_download("agreement")


def _snapshot_date(form):
    """The date asked for, or None with the error at the field."""
    if request.args.get("on"):
        try:
            return dt.date.fromisoformat(request.args["on"])
        except ValueError:
            form.as_at.errors = [f"{field_name(form.as_at.label.text)} must be a real date"]
            return None
    if "as_at" in request.args:
        return form.as_at.data if form.validate() else None
    today = periods.today()
    return dt.date(today.year if today >= dt.date(today.year, 4, 1) else today.year - 1, 4, 1)


@bp.route("/snapshot")
@requires(Permission.REPORTS_READ)
def snapshot():
    form = SnapshotForm(request.args)
    on_date = _snapshot_date(form)
    if on_date is None:
        return _error_page("snapshot", form)
    if "as_at" in request.args:
        return redirect(url_for("reports.snapshot", on=on_date.isoformat()))
    form.as_at.data = on_date
    return _page(build("snapshot", on_date=on_date), form, "reports.snapshot_export", {"on": on_date.isoformat()})


@bp.route("/snapshot/export")
@requires(Permission.REPORTS_READ)
def snapshot_export():
    on_date = _snapshot_date(SnapshotForm(request.args))
    if on_date is None:
        abort(400, "Enter the date")
    return _download("snapshot", on_date=on_date)


@bp.route("/records")
@requires(Permission.REPORTS_READ)
def records():
    if not request.args.get("figure"):
        return render_template("reports/records.html", title=None, rows=[], columns=[], total=0, page=1, pages=1)
    page = page_arg()
    per_page = current_app.config["PAGE_SIZE"]
    try:
        title, columns, rows, total = figure_records(request.args, page, per_page)
    except UnknownFigure:
        abort(404)
    return render_template("reports/records.html", title=title, columns=columns, rows=rows, total=total, page=page,
                           pages=page_count(total, per_page))


def _cacheable(response):
    """The published record is the same for every reader; a signed-in reader's copy is never kept
    (the security headers replace this with no-store)."""
    response.headers["Cache-Control"] = PUBLIC_CACHE
    response.headers["Vary"] = "Cookie"
    return response


@public_bp.route("/", endpoint="index")
@public
def published_record():
    """The record of decisions in its public form: no holder can be identified from it."""
    form = DecisionRecordForm(request.args)
    report, export_args = _filtered("decisions_public", form, ("forum", "maker"), decision_filters)
    if export_args is None and report is not None:
        return report
    page = render_template("public_register/decisions.html", report=report, form=form, formats=list(FORMATS),
                           export_args=export_args or {})
    return (page, 400) if report is None else _cacheable(make_response(page))


@public_bp.route("/export", endpoint="export")
@public
def published_export():
    return _cacheable(_filtered_download("decisions_public", DecisionRecordForm(request.args), ("forum", "maker")))


from licensing.reports import export_views  # noqa: E402, F401 - its routes are on this blueprint

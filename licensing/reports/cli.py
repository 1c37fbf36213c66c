"""`flask report quarterly|hearings|statistics|snapshot|agreement|decisions`: the reports for board papers and
automation, the same figures as the pages and downloads. Without --out the table is printed."""

import datetime as dt

import click
from flask import current_app
from flask.cli import AppGroup

from licensing.reports.document import all_rows
from licensing.reports.periods import PeriodError, Quarter, date_range
from licensing.reports.render import render
from licensing.reports.service import build

report_cli = AppGroup("report", help="Produce the managers' reports as CSV, Excel or PDF.")
FORMAT = click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "pdf"]), default="csv", show_default=True)
OUT = click.option("--out", "out", type=click.Path(dir_okay=False, writable=True),
                   help="File to write (default: print the tables).")


def _emit(report, fmt, out):
    if out is None:
        if fmt != "csv":
            raise click.UsageError("--out is needed for xlsx and pdf")
        click.echo(f"{report.title}, {report.period}")
        for table in report.tables:
            click.echo("")
            click.echo(table.title)
            lines = all_rows(table)
            widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
            for line in lines:
                click.echo("  ".join(text.ljust(w) for text, w in zip(line, widths, strict=True)).rstrip())
        return
    content = render(report, fmt, current_app.config.get("COUNCIL_NAME", ""))
    with open(out, "wb") as handle:
        handle.write(content)
    click.echo(f"{report.title}, {report.period}: written to {out} ({len(content)} bytes)")


def _period(start, end):
    try:
        return date_range(start, end)
    except PeriodError as error:
        raise click.BadParameter(str(error)) from None


@report_cli.command("quarterly")
@click.option("--quarter", required=True, help="Financial-year quarter, e.g. 2016-17-Q2 (1 July – 30 September 2016).")
@FORMAT
@OUT
def quarterly_command(quarter, fmt, out):
    """The quarterly compliance report (measure 3.A4)."""
    try:
        quarter = Quarter.parse(quarter)
    except PeriodError as error:
        raise click.BadParameter(str(error), param_hint="--quarter") from None
    _emit(build("quarterly", quarter=quarter), fmt, out)


def _period_command(name, help_text):
    @report_cli.command(name, help=help_text)
    @click.option("--from", "start", required=True, help="First day, YYYY-MM-DD.")
    @click.option("--to", "end", required=True, help="Last day, YYYY-MM-DD.")
    @FORMAT
    @OUT
    def command(start, end, fmt, out):
        start, end = _period(start, end)
        _emit(build(name, start=start, end=end), fmt, out)
    return command


_period_command("hearings", "The hearing outcomes table for a period.")
_period_command("statistics", "Licensing statistics for a period.")
_period_command("agreement", "Panel decision agreement for a period.")
_period_command("decisions", "The record of decisions for a period, in full (holders, licences and reasons).")


@report_cli.command("snapshot")
@click.option("--on", "on_date", required=True, help="The date, YYYY-MM-DD (the national survey uses 1 April).")
@FORMAT
@OUT
def snapshot_command(on_date, fmt, out):
    """Licensed drivers, vehicles and operators as at a date."""
    try:
        on_date = dt.date.fromisoformat(on_date)
    except ValueError:
        raise click.BadParameter("Enter the date as YYYY-MM-DD", param_hint="--on") from None
    _emit(build("snapshot", on_date=on_date), fmt, out)


def _quarter_option(quarter):
    try:
        return Quarter.parse(quarter)
    except PeriodError as error:
        raise click.BadParameter(str(error), param_hint="--quarter") from None


@report_cli.command("store")
@click.option("--quarter", required=True, help="A closed quarter, e.g. 2016-17-Q2.")
@click.option("--reason", default=None, help="Why it is computed again (a correction of its data or policy).")
def store_command(quarter, reason):
    """Compute a closed quarter's report and store it as the fact served from then on (replacing
    the one stored before, which is kept, invalidated, with the reason)."""
    from licensing.extensions import db
    from licensing.reports.store import is_closed, store_quarter

    quarter = _quarter_option(quarter)
    if not is_closed(quarter, dt.date.today()):
        raise click.BadParameter("The quarter has not ended yet: it is computed live", param_hint="--quarter")
    stored = store_quarter(quarter, reason=reason)
    db.session.commit()
    click.echo(f"{quarter.name}: stored, {stored.rows_stored} rows listed, SHA-256 {stored.content_hash}")


@report_cli.command("invalidate")
@click.option("--quarter", required=True, help="The quarter whose stored report no longer holds.")
@click.option("--reason", required=True, help="What was corrected in the data or policy behind it.")
def invalidate_command(quarter, reason):
    """Mark a quarter's stored report as no longer the fact: the quarter is computed live until
    the scheduler (or `flask report store`) stores it again."""
    from licensing.extensions import db
    from licensing.reports.store import current, invalidate

    quarter = _quarter_option(quarter)
    stored = current(quarter)
    if stored is None:
        raise click.ClickException(f"{quarter.name} has no stored report")
    invalidate(stored, reason)
    db.session.commit()
    click.echo(f"{quarter.name}: stored report of {stored.computed_at:%Y-%m-%d %H:%M} invalidated")


@report_cli.command("stored")
@click.option("--verify", is_flag=True, help="Recompute each stored report's hash from what is stored.")
def stored_command(verify):
    """List the stored reports in force, with the edition of their inputs."""
    import sqlalchemy as sa

    from licensing.extensions import db
    from licensing.models import StoredReport
    from licensing.reports.store import content_hash

    failed = 0
    for stored in db.session.scalars(sa.select(StoredReport).where(StoredReport.invalidated_at.is_(None))
                                     .order_by(StoredReport.period)):
        inputs = stored.inputs or {}
        line = (f"{stored.period}  computed {stored.computed_at:%Y-%m-%d %H:%M}  policy {inputs.get('policy_edition')}"
                f"  audit to #{inputs.get('audit_event')}  {stored.rows_stored} rows  {stored.content_hash[:16]}")
        if verify:
            same = content_hash(stored) == stored.content_hash
            failed += not same
            line += "  hash OK" if same else "  HASH DIFFERS"
        click.echo(line)
    if failed:
        raise SystemExit(1)

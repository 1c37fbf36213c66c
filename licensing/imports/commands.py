"""`flask import KIND FILE.csv` and `flask export register OUT.csv`."""

import sys
from contextlib import nullcontext

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from licensing.extensions import db
from licensing.imports.csvio import write_csv
from licensing.imports.engine import run_import
from licensing.imports.export import EXPORT_COLUMNS, register_rows
from licensing.imports.holders import ConvictionImporter, HolderImporter
from licensing.imports.register import CheckImporter, LicenceImporter, VehicleImporter

IMPORTERS = {cls.kind: cls for cls in (HolderImporter, LicenceImporter, VehicleImporter, CheckImporter,
                                       ConvictionImporter)}
PROGRESS_FROM = 5000  # rows; smaller files finish before a bar would help

import_cli = AppGroup("import", help="Import register records from CSV (all rows or none).")
export_cli = AppGroup("export", help="Export register data to CSV.")


def _progress(items, label):
    """A progress bar (on standard error) for long files only."""
    if len(items) < PROGRESS_FROM:
        return nullcontext(items)
    return click.progressbar(items, label=label, file=sys.stderr)


def _make_import_command(kind):
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
    @click.option("--errors-csv", type=click.Path(dir_okay=False, writable=True),
                  help="Also write the bad rows (line, reason) to this CSV file.")
    def command(path, dry_run, errors_csv):
        try:
            result = run_import(IMPORTERS[kind](), path, dry_run=dry_run, progress=_progress)
        except (sa.exc.IntegrityError, db.engine.dialect.loaded_dbapi.IntegrityError) as error:
            # A rule the row checks missed: the database refuses, and the transaction is undone.
            db.session.rollback()
            diagnostics = getattr(getattr(error, "orig", error), "diag", None)
            constraint = getattr(diagnostics, "constraint_name", None) or "a constraint"
            raise click.ClickException(
                f"the database refused the import ({constraint}); nothing was imported") from None
        if not result.ok:
            db.session.rollback()
            for line, reason in result.errors:
                click.echo(f"line {line}: {reason}", err=True)
            if errors_csv:
                write_csv(errors_csv, ["line", "reason"], result.errors)
            click.echo(f"{len(result.errors)} problem(s) in {result.rows} row(s); nothing was imported.",
                       err=True)
            sys.exit(1)
        if dry_run:
            db.session.rollback()
        else:
            db.session.commit()
        verb = "Would import" if dry_run else "Imported"
        click.echo(f"{verb} {kind}: {result.created} created, {result.updated} updated, "
                   f"{result.unchanged} unchanged ({result.rows} rows).")

    command.__doc__ = f"Import {kind} from a CSV file (columns in README.md)."
    return import_cli.command(kind)(command)


for _kind in IMPORTERS:
    _make_import_command(_kind)


@export_cli.command("register")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def export_register_command(path):
    """Write the register (holders and licences; no convictions or intelligence) to CSV."""
    from licensing.audit import record

    write_csv(path, EXPORT_COLUMNS, register_rows())
    record(None, "register.exported", entity_type="register", reason="flask export register")
    db.session.commit()
    click.echo(f"Wrote {path}")

"""Command-line interface: `flask users create`, `flask demo-data`."""

import datetime as dt
import os
import sys

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from licensing.extensions import db
from licensing.models.base import utcnow

users_cli = AppGroup("users", help="Manage staff accounts.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(["officer", "panel", "manager", "admin"]))
@click.option("--clearance", is_flag=True, help="May read restricted intelligence (officers only).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user_command(email, name, role, clearance, password_stdin):
    """Create a staff account."""
    from licensing.auth.operations import AccountError, create_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(None, email, name, role, password, clearance=clearance)
        db.session.commit()
    except AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {user.role.value} account {user.email}")


@click.command("demo-data")
@click.option("--holders", default=None, type=int, help="Number of licence holders (default 1,220).")
@click.option("--scale", type=click.Choice(["demo", "london"]), default="demo", show_default=True,
              help="A named population: london is 150,000 drivers, 120,000 vehicles and 3,000 operators.")
@click.option("--seed", default=2015, show_default=True, help="Random seed; the same seed gives the same data.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Date the data is built around.")
@click.option("--if-empty", is_flag=True, help="Do nothing when the register already has holders.")
@with_appcontext
def demo_data_command(holders, scale, seed, today, if_empty):
    """Load a demo council (development only) and print the demo logins."""
    try:
        from licensing.demo.council import SCALES, build_demo_council, ensure_demo_users
    except ModuleNotFoundError as error:  # Faker is in the development lock only
        raise click.ClickException(f"the demo data generator is not installed ({error.name}): "
                                   "run `make setup-dev`") from None
    from licensing.models import LicenceHolder

    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("demo data is never loaded in production")
    from licensing.reviews.operations.guidance import ensure_bundled_edition

    logins = ensure_demo_users()
    ensure_bundled_edition(None)  # the conviction guidance the reviews work with
    db.session.commit()
    if if_empty and db.session.query(LicenceHolder.id).first() is not None:
        click.echo("The register already has data; demo data not loaded again.")
    else:
        population = {"holders": holders} if holders else SCALES[scale]
        counts = build_demo_council(**population, seed=seed, today=today.date() if today else dt.date.today(),
                                    progress=_progress_bar)
        db.session.commit()
        click.echo(", ".join(f"{v} {k}" for k, v in counts.items()))
    from licensing.demo.council import DEMO_PASSWORD
    from licensing.demo.online import ensure_demo_online_accounts

    online = ensure_demo_online_accounts(DEMO_PASSWORD)
    db.session.commit()
    click.echo("Demo logins (development only), staff at /auth/login:")
    for email, role, password in logins:
        click.echo(f"  {role:<8} {email:<28} {password}")
    click.echo("Licence holders' own service at /account/sign-in:")
    for role, email, password in online:
        click.echo(f"  {role:<17} {email:<27} {password}")


def _progress_bar(label, total):
    return click.progressbar(length=max(total, 1), label=f"{label:<38}", file=sys.stderr, show_pos=True)


audit_cli = AppGroup("audit", help="The audit trail.")


@audit_cli.command("verify")
def audit_verify_command():
    """Check the hash chain of the audit trail; exit 1 if any row was altered or removed."""
    from licensing.audit import checkpoint_key, read_checkpoints, verify_chain
    from licensing.dbroles import connected_role_owns_audit_trail

    path = current_app.config.get("AUDIT_CHECKPOINT_FILE")
    points, problems = read_checkpoints(path, checkpoint_key(current_app.config))
    checked, found = verify_chain(checkpoints=points)
    problems += found
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise click.ClickException(f"audit trail FAILED verification: {len(problems)} problem(s) in {checked} rows")
    if connected_role_owns_audit_trail(db.session.connection()):
        click.echo("warning: this database role owns the audit table and could disable its triggers; "
                   "connect the application as a role of its own (flask grant-app-role)", err=True)
    click.echo(f"audit trail verified: {checked} rows, chain intact, {len(points)} signed checkpoint(s) hold")


@audit_cli.command("checkpoint")
def audit_checkpoint_command():
    """Sign the chain's newest row and row count and append them to AUDIT_CHECKPOINT_FILE."""
    from licensing.audit import checkpoint_key, write_checkpoint

    path = current_app.config.get("AUDIT_CHECKPOINT_FILE")
    if not path:
        raise click.ClickException("AUDIT_CHECKPOINT_FILE is not set")
    point = write_checkpoint(path, checkpoint_key(current_app.config))
    click.echo(f"checkpoint written to {path}: {point['rows']} rows, head {point['head'][:12]}")


@click.command("backup")
@click.option("--out", "out_path", type=click.Path(dir_okay=False), help="Backup file to write.")
@click.option("--dir", "folder", type=click.Path(file_okay=False),
              help="Folder to write a dated backup into; older ones there are pruned (BACKUP_KEEP, BACKUP_KEEP_DAYS).")
@with_appcontext
def backup_command(out_path, folder):
    """Write a verified backup of the database (mode 0600; encrypted to BACKUP_RECIPIENT if set)."""
    from licensing.audit import record
    from licensing.backup import BackupError, backup, backup_name, prune

    if bool(out_path) == bool(folder):
        raise click.ClickException("give one of --out FILE or --dir FOLDER")
    config = current_app.config
    url, recipient = config["SQLALCHEMY_DATABASE_URI"], config.get("BACKUP_RECIPIENT") or None
    if folder:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        out_path = os.path.join(folder, backup_name(url, utcnow(), encrypted=bool(recipient)))
    try:
        backup(url, out_path, recipient=recipient)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    removed = prune(folder, config.get("BACKUP_KEEP") or 0, config.get("BACKUP_KEEP_DAYS") or 0) if folder else []
    record(None, "system.backup", entity_type="system",
           reason="database backup written" + (", encrypted" if recipient else "") + ", verified")
    db.session.commit()
    click.echo(f"Backup written to {out_path} (verified{', encrypted' if recipient else ''})")
    for name in removed:
        click.echo(f"Removed old backup {name}")


@click.command("restore")
@click.argument("backup_path", type=click.Path(exists=True, dir_okay=False))
@click.option("--identity", "identity_path", type=click.Path(exists=True, dir_okay=False),
              help="age identity file (AGE-SECRET-KEY-...) for an encrypted backup.")
@click.option("--yes", is_flag=True, help="Confirm that the current data will be replaced.")
@with_appcontext
def restore_command(backup_path, identity_path, yes):
    """Replace the database's contents with a backup (decrypted first if it is encrypted)."""
    from licensing.audit import record
    from licensing.backup import BackupError, restore

    if not yes:
        raise click.ClickException("restore replaces every record; run again with --yes to confirm")
    db.session.remove()
    db.engine.dispose()
    try:
        restore(current_app.config["SQLALCHEMY_DATABASE_URI"], backup_path, identity_path=identity_path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    record(None, "system.restore", entity_type="system", reason="database restored from a backup")
    db.session.commit()
    click.echo(f"Database restored from {backup_path}")


def register_cli(app):
    from licensing.dbroles import grant_app_role_command
    from licensing.hearings.importer import import_cli as hearing_import_cli
    from licensing.imports.commands import export_cli, import_cli
    from licensing.integrations.commands import outbox_cli
    from licensing.jobs.commands import jobs_cli, scheduler_cli
    from licensing.legal_hold import legal_hold_command
    from licensing.reviews.cli import policy_cli
    from licensing.subject_access import subject_access_command

    app.cli.add_command(policy_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(audit_cli)
    app.cli.add_command(grant_app_role_command)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(scheduler_cli)
    app.cli.add_command(users_cli)
    from licensing.api.commands import api_clients_cli

    app.cli.add_command(api_clients_cli)
    app.cli.add_command(demo_data_command)
    import_cli.add_command(hearing_import_cli.commands["hearings"])  # one `flask import` group
    app.cli.add_command(import_cli)
    app.cli.add_command(export_cli)
    app.cli.add_command(subject_access_command)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(legal_hold_command)

    from licensing.reports.cli import report_cli

    app.cli.add_command(report_cli)

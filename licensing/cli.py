"""Command-line interface: `flask users create`, `flask demo-data`."""

import datetime as dt
import sys

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from licensing.extensions import db

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
@click.option("--holders", default=1220, show_default=True, help="Number of licence holders.")
@click.option("--seed", default=2015, show_default=True, help="Random seed; the same seed gives the same data.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Date the data is built around.")
@click.option("--if-empty", is_flag=True, help="Do nothing when the register already has holders.")
@with_appcontext
def demo_data_command(holders, seed, today, if_empty):
    """Load a demo council (development only) and print the demo logins."""
    from licensing.demo import build_demo_council, ensure_demo_users
    from licensing.models import LicenceHolder

    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("demo data is never loaded in production")
    logins = ensure_demo_users()
    db.session.commit()
    if if_empty and db.session.query(LicenceHolder.id).first() is not None:
        click.echo("The register already has data; demo data not loaded again.")
    else:
        counts = build_demo_council(holders=holders, seed=seed, today=today.date() if today else dt.date.today())
        db.session.commit()
        click.echo(", ".join(f"{v} {k}" for k, v in counts.items()))
    click.echo("Demo logins (development only):")
    for email, role, password in logins:
        click.echo(f"  {role:<8} {email:<28} {password}")


def register_cli(app):
    from licensing.imports.commands import export_cli, import_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(demo_data_command)
    app.cli.add_command(import_cli)
    app.cli.add_command(export_cli)

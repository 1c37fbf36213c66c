"""`flask policy load-convictions FILE.json`: load a new edition of the conviction guidance."""

import click
from flask.cli import AppGroup

from licensing.extensions import db

policy_cli = AppGroup("policy", help="Load policy data.")


@policy_cli.command("load-convictions")
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False))
def load_convictions_command(path):
    """Load a conviction guidance edition (default: the edition shipped with the code)."""
    from licensing.reviews.errors import ReviewError
    from licensing.reviews.operations.guidance import BUNDLED_EDITION, load_edition

    with open(path or BUNDLED_EDITION, encoding="utf-8") as handle:
        text = handle.read()
    try:
        row = load_edition(None, text)
        db.session.commit()
    except ReviewError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    click.echo(f"Loaded conviction guidance edition {row.edition}, in force from {row.effective_from.isoformat()}")

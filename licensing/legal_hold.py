"""Legal hold on a licence holder: while set, the retention job keeps all their records."""

import click
import sqlalchemy as sa

from licensing.audit import record
from licensing.errors import DomainError
from licensing.extensions import db
from licensing.models import LicenceHolder


class LegalHoldError(DomainError):
    """A legal hold that cannot be set or lifted."""


def set_legal_hold(actor, holder, on, reason):
    reason = (reason or "").strip()
    if not reason:
        raise LegalHoldError("Give the reason for placing or lifting the legal hold")
    if holder.legal_hold == on:
        raise LegalHoldError(f"{holder.holder_ref} is already {'under' if on else 'not under'} legal hold")
    holder.legal_hold = on
    db.session.flush()
    record(actor, "holder.legal_hold", holder, before={"legal_hold": not on}, after={"legal_hold": on},
           reason=reason)
    return holder


@click.command("legal-hold")
@click.argument("holder_ref")
@click.option("--on/--off", "on", required=True, help="Place or lift the hold.")
@click.option("--reason", required=True, help="Why (for the audit trail).")
def legal_hold_command(holder_ref, on, reason):
    """Place or lift a legal hold on a licence holder's records."""
    holder = db.session.execute(sa.select(LicenceHolder).filter_by(holder_ref=holder_ref)).scalar_one_or_none()
    if holder is None:
        raise click.ClickException(f"No licence holder has the reference {holder_ref}")
    try:
        set_legal_hold(None, holder, on, reason)
    except LegalHoldError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Legal hold {'placed on' if on else 'lifted from'} {holder_ref}")

"""`flask outbox status` and `flask outbox requeue`: the outbox from the command line."""

import click
from flask.cli import AppGroup

from licensing.extensions import db

outbox_cli = AppGroup("outbox", help="The outgoing message queue (e-mail, text messages, posted letters).")


@outbox_cli.command("status")
def status_command():
    """How many messages wait to be sent and how many failed."""
    from licensing.integrations.queries import outbox_counts

    counts = outbox_counts()
    click.echo(f"queued: {counts['queued']}")
    click.echo(f"failed: {counts['failed']}")


@outbox_cli.command("requeue")
@click.option("--id", "message_ids", type=int, multiple=True, help="A failed message to send again (repeatable).")
@click.option("--all-failed", is_flag=True, help="Send every failed message again.")
@click.option("--reason", required=True, help="Why (audited), e.g. 'relay outage on 3 December fixed'.")
def requeue_command(message_ids, all_failed, reason):
    """Put failed messages back in the queue with their attempts reset; the next send_reminders run
    sends them."""
    from licensing.integrations.operations import requeue

    if not message_ids and not all_failed:
        raise click.UsageError("name messages with --id, or give --all-failed")
    count = requeue(None, reason, None if all_failed else message_ids)
    db.session.commit()
    click.echo(f"{count} message{'s' if count != 1 else ''} queued to be sent again")

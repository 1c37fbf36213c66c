"""`flask api-clients create|list|revoke`: the API's system clients from the command line."""

import click
from flask.cli import AppGroup

from licensing.extensions import db
from licensing.models import ApiClient, ApiScope

api_clients_cli = AppGroup("api-clients", help="Manage the API's system clients and their tokens.")


@api_clients_cli.command("create")
@click.option("--name", required=True, help="The system, e.g. 'Council portal'.")
@click.option("--scope", "scopes", multiple=True, required=True, type=click.Choice([s.value for s in ApiScope]))
@click.option("--webhook-url", default=None, help="Where signed licence status events are sent.")
def create_command(name, scopes, webhook_url):
    """Create a client; its token (and webhook secret) are printed once."""
    from licensing.api.operations import ApiClientError, create_client

    try:
        client, token, secret = create_client(None, name, scopes, webhook_url)
        db.session.commit()
    except ApiClientError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    click.echo(f"Created API client #{client.id} {client.name} ({client.scopes})")
    click.echo(f"Token (shown once): {token}")
    if secret:
        click.echo(f"Webhook secret (shown once): {secret}")


@api_clients_cli.command("list")
def list_command():
    """The clients, their token prefixes and scopes."""
    from licensing.api.queries import clients

    for client in clients():
        state = f"revoked {client.revoked_at:%d %B %Y}" if client.revoked_at else "active"
        click.echo(f"#{client.id}\t{client.name}\t{client.token_prefix}...\t{client.scopes}\t{state}")


@api_clients_cli.command("revoke")
@click.argument("client_id", type=int)
@click.option("--reason", required=True)
def revoke_command(client_id, reason):
    """Revoke a client's token at once."""
    from licensing.api.operations import ApiClientError, revoke_client

    client = db.session.get(ApiClient, client_id)
    if client is None:
        raise click.ClickException(f"No API client #{client_id}")
    try:
        revoke_client(None, client, reason)
        db.session.commit()
    except ApiClientError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    click.echo(f"Revoked the token of #{client.id} {client.name}")

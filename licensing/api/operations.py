"""What the API and its administration change: clients and their tokens, applications from the
council's portal, and the webhook events queued when a licence's status changes."""

import datetime as dt
import json
import secrets
import uuid
from urllib.parse import urlsplit

import sqlalchemy as sa

from licensing.api.queries import forget_cached_callers, note_cached_use, subscribed_clients
from licensing.api.tokens import hash_token, new_token, new_webhook_secret, shown_prefix
from licensing.audit import record, snapshot
from licensing.errors import DomainError
from licensing.extensions import db
from licensing.holders.operations.holders import create_holder
from licensing.holders.operations.licences import apply_for_licence
from licensing.models import ApiClient, ApiScope, ApplicationOrigin, Licence, LicenceType, WebhookDelivery
from licensing.models.base import utcnow

STATUS_EVENT = "licence.status_changed"
PORTAL_TYPES = (LicenceType.HACKNEY_CARRIAGE_DRIVER, LicenceType.PRIVATE_HIRE_DRIVER, LicenceType.DUAL_DRIVER)
CLIENT_FIELDS = ("name", "scopes", "token_prefix", "webhook_url", "created_at", "revoked_at", "revoked_reason")


class ApiClientError(DomainError):
    """A client that cannot be created or revoked as asked."""


def _check_webhook_url(url):
    url = (url or "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise ApiClientError("Enter the webhook address as a full web address, like https://crm.example.gov.uk/hook",
                             field="webhook_url")
    return url


def create_client(actor, name, scopes, webhook_url=None):
    """A new client and its token. Returns (client, token, webhook secret): both are shown once."""
    name = (name or "").strip()
    if not name:
        raise ApiClientError("Enter the name of the system", field="name")
    try:
        scopes = sorted({ApiScope(scope).value for scope in scopes})
    except ValueError:
        raise ApiClientError("Choose scopes from the list", field="scopes") from None
    if not scopes:
        raise ApiClientError("Choose at least one scope", field="scopes")
    webhook_url = _check_webhook_url(webhook_url)
    if webhook_url and ApiScope.VALIDITY_READ.value not in scopes:
        raise ApiClientError("Licence status webhooks need the licence validity scope", field="webhook_url")
    token = new_token()
    secret = new_webhook_secret() if webhook_url else None
    client = ApiClient(name=name, scopes=" ".join(scopes), token_prefix=shown_prefix(token),
                       token_hash=hash_token(token), webhook_url=webhook_url, webhook_secret=secret,
                       created_by_id=getattr(actor, "id", None))
    db.session.add(client)
    record(actor, "api_client.create", client, after=snapshot(client, exclude=("token_hash", "webhook_secret")))
    return client, token, secret


def revoke_client(actor, client, reason):
    reason = (reason or "").strip()
    if not reason:
        raise ApiClientError("Enter the reason", field="reason")
    if client.revoked_at is not None:
        raise ApiClientError("This client's token is already revoked", field="reason")
    client.revoked_at = utcnow()
    client.revoked_by_id = getattr(actor, "id", None)
    client.revoked_reason = reason
    record(actor, "api_client.revoke", client, reason=reason)
    forget_cached_callers()
    # Nothing more goes to a revoked client.
    db.session.execute(sa.delete(WebhookDelivery).where(WebhookDelivery.client_id == client.id,
                                                        WebhookDelivery.status == "pending"))


def note_use(client, now=None, every=dt.timedelta(minutes=10)):
    """Keep `last_used_at` to within ten minutes, without a write on every request."""
    now = now or utcnow()
    if client.last_used_at is None or now - client.last_used_at > every:
        db.session.execute(sa.update(ApiClient).where(ApiClient.id == client.id).values(last_used_at=now))
        note_cached_use(client.id, now)


def _new_licence_number(today):
    while True:
        number = f"W{today:%y}{secrets.randbelow(10**6):06d}"
        if not db.session.scalar(sa.select(Licence.id).where(Licence.licence_number == number)):
            return number


def receive_application(client, data, today=None):
    """An application from the council's portal: a new holder and a licence in `applied` with its
    pending application (origin portal), decided as any other through the officer's decision
    page or a hearing. The audit rows name the client; there is no officer as actor."""
    today = today or dt.date.today()
    licence_type = LicenceType(data["licence_type"])
    if licence_type not in PORTAL_TYPES:
        raise ApiClientError("The portal sends driver applications only", field="licence_type")
    applicant = data["applicant"]
    reason = f"Sent by API client {client.name} (#{client.id})"
    if data.get("portal_reference"):
        reason += f", portal reference {data['portal_reference']}"
    holder = create_holder(None, {"kind": "person", **applicant}, today=today)
    licence = apply_for_licence(None, holder, licence_type=licence_type, licence_number=_new_licence_number(today),
                                received_on=data.get("received_on") or today, today=today,
                                origin=ApplicationOrigin.PORTAL, api_client=client, reason=reason)
    db.session.flush()
    return licence.applications[-1]


def queue_status_events(session, flush_context=None, instances=None):
    """before_flush: a signed event for each subscribed client whenever a licence's status changes
    (whichever operation changed it). The payload carries validity data only."""
    changed = []
    for obj in session.dirty:
        if isinstance(obj, Licence):
            history = sa.inspect(obj).attrs.status.history
            if history.has_changes() and history.deleted and history.deleted[0] != obj.status:
                changed.append((obj, history.deleted[0]))
    if not changed:
        return
    with session.no_autoflush:
        receivers = subscribed_clients(session)
        for licence, previous in changed:
            body = json.dumps({
                "id": str(uuid.uuid4()), "event": STATUS_EVENT, "occurred_at": utcnow().isoformat() + "Z",
                "licence": {"licence_number": licence.licence_number, "licence_type": str(licence.licence_type),
                            "status": str(licence.status), "previous_status": str(previous),
                            "expires_on": licence.expires_on.isoformat() if licence.expires_on else None},
            }, separators=(",", ":"))
            for client in receivers:
                session.add(WebhookDelivery(client=client, event=STATUS_EVENT, payload=body))

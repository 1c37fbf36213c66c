"""Delivering webhook events: each is POSTed to its client's address with a timestamped
HMAC-SHA256 signature, and retried with growing waits until it is accepted (any 2xx) or the
attempts run out. A revoked client gets nothing more."""

import datetime as dt
import logging

import requests
import sqlalchemy as sa

from licensing.api.tokens import signature_header
from licensing.audit import record
from licensing.extensions import db
from licensing.models import ApiClient, WebhookDelivery, WebhookStatus

log = logging.getLogger("licensing.api")
# Minutes to wait after each failed attempt; after the last the delivery is marked failed.
RETRY_MINUTES = (1, 5, 15, 60, 240, 720)
BATCH = 200
TIMEOUT_SECONDS = 10
SIGNATURE_HEADER = "Licensing-Signature"


def post(url, body, headers):
    """The one HTTP call: returns the status code (raises requests' errors on no answer)."""
    response = requests.post(url, data=body, headers=headers, timeout=TIMEOUT_SECONDS, allow_redirects=False)
    return response.status_code


def _attempt(delivery, now, send):
    body = delivery.payload.encode()
    headers = {
        "Content-Type": "application/json",
        "Licensing-Event": delivery.event,
        "Licensing-Delivery": str(delivery.id),
        SIGNATURE_HEADER: signature_header(delivery.client.webhook_secret, now.timestamp(), body),
    }
    try:
        status = send(delivery.client.webhook_url, body, headers)
    except requests.RequestException as error:
        return None, type(error).__name__
    return status, None if 200 <= status < 300 else f"HTTP {status}"


def deliver_due(now, send=post):
    """Send every pending delivery that is due; returns counts."""
    due = db.session.execute(
        sa.select(WebhookDelivery).join(ApiClient)
        .where(WebhookDelivery.status == WebhookStatus.PENDING, WebhookDelivery.next_attempt_at <= now,
               ApiClient.revoked_at.is_(None))
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(BATCH)
    ).scalars().all()
    counts = {"delivered": 0, "retrying": 0, "failed": 0}
    for delivery in due:
        status, error = _attempt(delivery, now.replace(tzinfo=dt.UTC) if now.tzinfo is None else now, send)
        delivery.attempts += 1
        delivery.last_status_code = status
        delivery.last_error = error
        if error is None:
            delivery.status = WebhookStatus.DELIVERED
            delivery.delivered_at = now
            counts["delivered"] += 1
        elif delivery.attempts > len(RETRY_MINUTES):
            delivery.status = WebhookStatus.FAILED
            record(None, "webhook.failed", delivery, reason=f"{delivery.attempts} attempts; last: {error}")
            counts["failed"] += 1
        else:
            delivery.next_attempt_at = now + dt.timedelta(minutes=RETRY_MINUTES[delivery.attempts - 1])
            counts["retrying"] += 1
    db.session.flush()
    return counts

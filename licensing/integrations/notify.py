"""GOV.UK Notify transport, through Notify's own Python client (notifications-python-client).

- E-mail: the template NOTIFY_EMAIL_TEMPLATE_ID, with personalisation `subject`, `body` and
  `link_to_file` (an issued letter, uploaded with `prepare_upload` so that the holder confirms
  their e-mail address before downloading; empty for a reminder).
- Text message: NOTIFY_SMS_TEMPLATE_ID with `body`, for holders with a phone number and no e-mail.
- Posted letter: the issued PDF as a precompiled letter (first class), for decisions that must be
  posted to a holder without e-mail.
Every request carries the outbox key as its `reference`. Notify's answer gives the notification id,
kept as the message's provider_ref; delivery receipts (`parse_receipt`) find the message by it.

Notify answering 5xx or 429, a time-out or a connection failure is `TransportUnavailable`; 403 (a
wrong or revoked key) too, since no message can go until the key is fixed. 400 refuses the message.
"""

import io
import secrets

from notifications_python_client import prepare_upload
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from licensing.integrations.transports import (
    MessageRejected,
    Transport,
    TransportNotConfigured,
    TransportUnavailable,
)

# Notify's statuses (https://docs.notifications.service.gov.uk/python.html#get-the-status-of-one-message).
DELIVERED = frozenset({"delivered", "received", "accepted"})
FAILED = frozenset({"permanent-failure", "temporary-failure", "technical-failure", "validation-failed",
                    "virus-scan-failed", "cancelled"})
KNOWN = DELIVERED | FAILED | frozenset({"created", "sending", "pending", "pending-virus-check"})


class NotifyTransport(Transport):
    name = "notify"

    def __init__(self, api_key, base_url, email_template_id="", sms_template_id="", timeout=10):
        if not api_key:
            raise TransportNotConfigured("NOTIFY_API_KEY is not set")
        self.api_key, self.base_url, self.timeout = api_key, base_url, timeout
        self.email_template_id, self.sms_template_id = email_template_id, sms_template_id
        self.channels = frozenset({"letter"} | ({"email"} if email_template_id else set())
                                  | ({"sms"} if sms_template_id else set()))
        self._client = None

    @classmethod
    def from_config(cls, config):
        return cls(config.get("NOTIFY_API_KEY") or "", config.get("NOTIFY_BASE_URL"),
                   config.get("NOTIFY_EMAIL_TEMPLATE_ID") or "", config.get("NOTIFY_SMS_TEMPLATE_ID") or "",
                   int(config.get("SMTP_TIMEOUT") or 10))

    def open(self):
        self._client = NotificationsAPIClient(self.api_key, base_url=self.base_url, timeout=self.timeout)
        return self

    def send(self, outgoing):
        if self._client is None:
            self.open()
        if outgoing.channel not in self.channels:
            raise TransportNotConfigured(f"no Notify template for {outgoing.channel}")
        try:
            response = self._send(outgoing)
        except APIError as error:
            status = getattr(error, "status_code", 503)
            if status in (403, 429) or status >= 500:
                raise TransportUnavailable(f"Notify {status}") from None
            raise MessageRejected(f"Notify {status}", permanent=True) from None
        return str(response["id"])

    def _send(self, outgoing):
        if outgoing.channel == "sms":
            return self._client.send_sms_notification(
                phone_number=outgoing.to_address, template_id=self.sms_template_id,
                personalisation={"body": outgoing.body}, reference=outgoing.key)
        if outgoing.channel == "letter":
            return self._client.send_precompiled_letter_notification(
                reference=outgoing.key, pdf_file=io.BytesIO(outgoing.attachment), postage="first")
        link = ""
        if outgoing.attachment is not None:
            link = prepare_upload(io.BytesIO(outgoing.attachment), filename=outgoing.attachment_name,
                                  confirm_email_before_download=True)
        return self._client.send_email_notification(
            email_address=outgoing.to_address, template_id=self.email_template_id,
            personalisation={"subject": outgoing.subject, "body": outgoing.body, "link_to_file": link},
            reference=outgoing.key)

    def close(self):
        if self._client is not None:
            self._client.request_session.close()
        self._client = None


def callback_authorised(header, token):
    """A delivery receipt is accepted only with `Authorization: Bearer <NOTIFY_CALLBACK_TOKEN>`."""
    if not token or not header or not header.startswith("Bearer "):
        return False
    return secrets.compare_digest(header.removeprefix("Bearer ").strip().encode(), token.encode())


def parse_receipt(payload):
    """(notification id, status, reference) from a Notify delivery receipt, or None if malformed."""
    if not isinstance(payload, dict):
        return None
    ident, status = payload.get("id"), payload.get("status")
    if not isinstance(ident, str) or not isinstance(status, str) or status not in KNOWN or len(ident) > 64:
        return None
    reference = payload.get("reference") if isinstance(payload.get("reference"), str) else None
    return ident, status, reference

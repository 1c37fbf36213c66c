"""The outbox's transport interface. A transport is opened once per sending run, sends one message
at a time and is closed at the end.

Two kinds of failure are kept apart, because they mean different things for a message:
- `TransportUnavailable`: the service could not be reached (connection refused, time-out, TLS or
  login failure, Notify answering 5xx or 429). Nothing is wrong with the message; the run stops and
  the message keeps its attempts, so an outage never marks a message failed.
- `MessageRejected`: the service refused this message (a bad address, a 400 from Notify). That uses
  one of the message's attempts.
"""

from dataclasses import dataclass


class TransportUnavailable(Exception):
    """The transport cannot be reached now; try again later without counting an attempt."""


class MessageRejected(Exception):
    """The transport refused this message; `permanent` when retrying cannot help."""

    def __init__(self, reason, permanent=False):
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class TransportNotConfigured(Exception):
    """The message's channel has no transport configured (e.g. a text message without Notify)."""


@dataclass(frozen=True)
class Outgoing:
    """What a transport needs to send one outbox message."""

    key: str
    channel: str  # "email", "sms" or "letter"
    to_address: str  # e-mail address or phone number; unused for a posted letter
    subject: str
    body: str
    attachment: bytes | None = None  # the issued letter's PDF
    attachment_name: str | None = None


class Transport:
    """Interface: `name`, `channels`, `open()`, `send(outgoing) -> provider reference or None`, `close()`."""

    name = "transport"
    channels = frozenset()

    def open(self):
        return self

    def send(self, outgoing):  # pragma: no cover - the interface
        raise NotImplementedError

    def close(self):
        return None


def transport_for(config):
    """The transport the settings describe: Notify when chosen (or when its key is set and no
    transport is named), else SMTP."""
    from licensing.integrations.notify import NotifyTransport
    from licensing.integrations.smtp import SmtpTransport

    chosen = (config.get("MAIL_TRANSPORT") or "").strip().lower()
    if chosen == "notify" or (not chosen and config.get("NOTIFY_API_KEY")):
        return NotifyTransport.from_config(config)
    return SmtpTransport.from_config(config)

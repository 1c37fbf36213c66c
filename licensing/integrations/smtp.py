"""SMTP transport: STARTTLS (port 587, e.g. Exchange Online) or implicit TLS (port 465), with login.

The certificate is verified against the system's CA store, or SMTP_CA_FILE for a council's private
CA. A connection, TLS or login failure is `TransportUnavailable` (the message keeps its attempts);
a refused recipient or message is `MessageRejected`."""

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid

from licensing.integrations.transports import MessageRejected, Transport, TransportUnavailable

DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}


class SmtpTransport(Transport):
    name = "smtp"
    channels = frozenset({"email"})

    def __init__(self, host, port=0, security="starttls", username="", password="", mail_from="",
                 ca_file="", timeout=10):
        if security not in DEFAULT_PORTS:
            raise ValueError("SMTP_SECURITY must be starttls, tls or none")
        self.host, self.security = host or "localhost", security
        self.port = int(port or DEFAULT_PORTS[security])
        self.username, self.password = username, password
        self.mail_from = mail_from or "licensing@localhost"
        self.ca_file, self.timeout = ca_file, timeout
        self._smtp = None

    @classmethod
    def from_config(cls, config):
        return cls(config.get("SMTP_HOST"), config.get("SMTP_PORT") or 0,
                   (config.get("SMTP_SECURITY") or "starttls").lower(), config.get("SMTP_USERNAME") or "",
                   config.get("SMTP_PASSWORD") or "", config.get("MAIL_FROM") or "",
                   config.get("SMTP_CA_FILE") or "", int(config.get("SMTP_TIMEOUT") or 10))

    def _context(self):
        return ssl.create_default_context(cafile=self.ca_file or None)

    def open(self):
        try:
            if self.security == "tls":
                smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=self._context())
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
                if self.security == "starttls":
                    smtp.starttls(context=self._context())
            if self.username:
                smtp.login(self.username, self.password)
        except (smtplib.SMTPException, OSError) as error:  # ssl.SSLError is an OSError
            raise TransportUnavailable(type(error).__name__) from None
        self._smtp = smtp
        return self

    def _mime(self, outgoing):
        mime = EmailMessage()
        mime["From"] = self.mail_from
        mime["To"] = outgoing.to_address
        mime["Subject"] = outgoing.subject
        mime["Message-ID"] = make_msgid(idstring=outgoing.key.replace(":", "."))
        mime["X-Licensing-Key"] = outgoing.key  # lets a mail log show a message went once
        mime.set_content(outgoing.body)
        if outgoing.attachment is not None:
            mime.add_attachment(outgoing.attachment, maintype="application", subtype="pdf",
                                filename=outgoing.attachment_name)
        return mime

    def send(self, outgoing):
        if self._smtp is None:
            self.open()
        try:
            self._smtp.send_message(self._mime(outgoing))
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as error:
            code = getattr(error, "smtp_code", None)
            raise MessageRejected(type(error).__name__, permanent=bool(code and 500 <= code < 600)) from None
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise TransportUnavailable(type(error).__name__) from None
        return None

    def close(self):
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
        self._smtp = None

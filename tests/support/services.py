"""Local stand-ins for outside services: an SMTP server that requires STARTTLS (or implicit TLS)
and login, with a self-signed certificate made for the test; and an HTTP server that answers with
recorded responses (tests/fixtures/integrations/) and keeps every request it was sent."""

import json
import pathlib
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.support.training_data import Inbox, free_port

FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "integrations"
SMTP_USER, SMTP_PASSWORD = "licensing@council.example", "relay-password-for-tests"


def fixture(name):
    return (FIXTURES / name).read_bytes()


def fixture_json(name):
    return json.loads(fixture(name))


def self_signed_certificate(folder):
    """A certificate for 127.0.0.1 and localhost, made with openssl: (cert path, key path)."""
    cert, key = folder / "relay.crt", folder / "relay.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == SMTP_USER
          and auth_data.password.decode() == SMTP_PASSWORD)
    return AuthResult(success=ok, handled=False)


def start_secure_smtp(folder, mode="starttls"):
    """A relay like Exchange Online: STARTTLS required before AUTH LOGIN (or TLS from the first
    byte with mode "tls"). Returns (controller, inbox, CA file the client must trust)."""
    cert, key = self_signed_certificate(folder)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = Inbox()
    options = {"hostname": "127.0.0.1", "port": free_port(), "auth_required": True, "authenticator": _authenticator}
    if mode == "tls":
        # TLS from the first byte: the whole session is encrypted, so AUTH needs no STARTTLS first.
        controller = Controller(inbox, ssl_context=context, auth_require_tls=False, **options)
    else:
        controller = Controller(inbox, tls_context=context, require_starttls=True, auth_require_tls=True, **options)
    controller.start()
    return controller, inbox, str(cert)


class FakeService:
    """An HTTP server on loopback. `routes[(method, path prefix)]` is (status, headers, body) or a
    function of the request giving that; every request is kept in `requests`."""

    def __init__(self):
        self.routes, self.requests, self.delay = {}, [], 0.0
        service = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body}
                service.requests.append(request)
                if service.delay:
                    time.sleep(service.delay)
                status, headers, payload = service._route(request)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _answer  # noqa: N815 - http.server's names

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def _route(self, request):
        path = request["path"].split("?")[0]
        for (method, prefix), answer in sorted(self.routes.items(), key=lambda item: -len(item[0][1])):
            if method == request["method"] and path.startswith(prefix):
                return answer(request) if callable(answer) else answer
        return 404, {"Content-Type": "application/json"}, b'{"errors": [{"status": "404", "title": "Not found"}]}'

    def answer(self, method, prefix, status, body, content_type="application/json"):
        payload = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.routes[(method, prefix)] = (status, {"Content-Type": content_type}, payload)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

"""A local OpenID provider for the single sign-on tests: a real HTTP server on 127.0.0.1 with a
discovery document, a JWKS of a freshly generated RSA key, an authorisation endpoint that signs in
whoever the test says, and a token endpoint issuing RS256-signed ID tokens."""

import base64
import secrets
import threading
import time
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

CLIENT_ID = "licensing-test-client"
CLIENT_SECRET = "licensing-test-secret"  # noqa: S105 - the fake provider's own


class FakeOpenIdProvider:
    def __init__(self):
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig", "alg": "RS256"})
        self.codes = {}
        self.next_claims = {}
        self.token_requests = []
        self.server = make_server("127.0.0.1", 0, self.wsgi, threaded=True)
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        self.signing_key = self.key  # a test may swap in another key to forge a token
        self.extra_claims = {}  # and override claims (aud, iss, exp) to break the token
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()

    def wsgi(self, environ, start_response):
        request = Request(environ)
        handler = {"/.well-known/openid-configuration": self.discovery, "/keys": self.jwks,
                   "/authorize": self.authorize, "/token": self.token}.get(request.path)
        response = handler(request) if handler else Response(status=404)
        return response(environ, start_response)

    def discovery(self, request):
        return _json({"issuer": self.issuer, "authorization_endpoint": f"{self.issuer}/authorize",
                      "token_endpoint": f"{self.issuer}/token", "jwks_uri": f"{self.issuer}/keys",
                      "response_types_supported": ["code"], "subject_types_supported": ["public"],
                      "id_token_signing_alg_values_supported": ["RS256"],
                      "token_endpoint_auth_methods_supported": ["client_secret_basic"]})

    def jwks(self, request):
        return _json({"keys": [self.key.as_dict(private=False)]})

    def authorize(self, request):
        """Signs in the person set by `sign_in_as` and sends the browser back with a code."""
        args = request.args
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"nonce": args.get("nonce"), "claims": dict(self.next_claims),
                            "redirect_uri": args["redirect_uri"]}
        query = urlencode({"code": code, "state": args["state"]})
        return Response(status=302, headers={"Location": f"{args['redirect_uri']}?{query}"})

    def token(self, request):
        auth = request.headers.get("Authorization", "")
        expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        grant = self.codes.pop(request.form.get("code"), None)
        self.token_requests.append(dict(request.form))
        if auth != expected or grant is None or request.form.get("redirect_uri") != grant["redirect_uri"]:
            return _json({"error": "invalid_grant"}, status=400)
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": CLIENT_ID, "sub": grant["claims"].get("oid", "subject-1"),
                  "iat": now, "nbf": now, "exp": now + 600, "nonce": grant["nonce"], **grant["claims"],
                  **self.extra_claims}
        id_token = jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, self.signing_key)
        return _json({"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "expires_in": 600,
                      "id_token": id_token, "scope": "openid email profile"})

    def sign_in_as(self, **claims):
        self.next_claims = claims


def _json(body, status=200):
    import json

    return Response(json.dumps(body), status=status, mimetype="application/json")


def follow_sign_in(client, provider):
    """Start at /auth/sso, let the provider answer (over real HTTP), and come back: the final response."""
    import requests

    start = client.get("/auth/sso")
    assert start.status_code == 302 and start.location.startswith(provider.issuer), start.location
    answer = requests.get(start.location, allow_redirects=False, timeout=5)
    back = urlsplit(answer.headers["Location"])
    return client.get(f"{back.path}?{back.query}"), parse_qs(urlsplit(start.location).query)

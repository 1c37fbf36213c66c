"""DVSA MOT History API: a vehicle's MOT tests, their defects and the current expiry.

GET MOT_API_URL + registration with `Authorization: Bearer <token>` and `X-API-Key`; the token
comes from MOT_TOKEN_URL by the OAuth 2.0 client-credentials grant (MOT_CLIENT_ID,
MOT_CLIENT_SECRET, MOT_SCOPE) and is kept until shortly before it expires
(documentation.history.mot.api.gov.uk). 200 gives the vehicle with `motTests`; 404 no record.
"""

import threading
import time

from licensing.integrations.answers import Answer, NotConfigured, refused, unavailable
from licensing.integrations.breaker import ServiceUnavailable, call
from licensing.integrations.dvla import normalise_registration

SERVICE = "mot_history"
TESTS_KEPT = 5
_TOKENS = {}
_TOKENS_LOCK = threading.Lock()


def configured(config):
    return all(config.get(k) for k in ("MOT_API_KEY", "MOT_API_URL", "MOT_CLIENT_ID", "MOT_CLIENT_SECRET",
                                       "MOT_TOKEN_URL"))


def _token(config, session, clock=time.monotonic):
    key = (config["MOT_TOKEN_URL"], config["MOT_CLIENT_ID"])
    with _TOKENS_LOCK:
        token, expires = _TOKENS.get(key, (None, 0))
        if token and clock() < expires:
            return token
    response = call(SERVICE, config, "POST", config["MOT_TOKEN_URL"], session=session, data={
        "grant_type": "client_credentials", "client_id": config["MOT_CLIENT_ID"],
        "client_secret": config["MOT_CLIENT_SECRET"], "scope": config.get("MOT_SCOPE") or ""})
    if response.status_code != 200:
        raise ServiceUnavailable(f"token HTTP {response.status_code}")
    body = response.json()
    with _TOKENS_LOCK:
        _TOKENS[key] = (body["access_token"], clock() + max(int(body.get("expires_in", 3600)) - 60, 0))
    return body["access_token"]


def forget_tokens():
    with _TOKENS_LOCK:
        _TOKENS.clear()


def _test(raw):
    return {
        "completed": (raw.get("completedDate") or "")[:10], "result": raw.get("testResult"),
        "expires": raw.get("expiryDate"), "odometer": raw.get("odometerValue"), "unit": raw.get("odometerUnit"),
        "number": raw.get("motTestNumber"),
        "defects": [{"text": d.get("text"), "type": d.get("type"), "dangerous": bool(d.get("dangerous"))}
                    for d in raw.get("defects") or []],
    }


def mot_history(config, registration, session=None):
    if not configured(config):
        raise NotConfigured("MOT_API_KEY")
    registration = normalise_registration(registration)
    try:
        token = _token(config, session)
        response = call(SERVICE, config, "GET", config["MOT_API_URL"] + registration, session=session,
                        headers={"Authorization": f"Bearer {token}", "X-API-Key": config["MOT_API_KEY"],
                                 "Accept": "application/json"})
    except ServiceUnavailable as error:
        return unavailable(str(error))
    if response.status_code == 404:
        return Answer("not_found")
    if response.status_code != 200:
        return refused(response.status_code)
    body = response.json()
    tests = sorted((_test(t) for t in body.get("motTests") or []), key=lambda t: t["completed"], reverse=True)
    passed = [t for t in tests if t["result"] == "PASSED" and t["expires"]]
    return Answer("found", {
        "registration": body.get("registration"), "make": body.get("make"), "model": body.get("model"),
        "colour": body.get("primaryColour"), "expires": passed[0]["expires"] if passed else None,
        "tests": tests[:TESTS_KEPT],
    })

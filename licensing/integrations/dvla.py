"""DVLA Vehicle Enquiry Service (VES): make, colour, tax and MOT status by registration.

POST DVLA_VES_URL with `{"registrationNumber": "AB12CDE"}` and the `x-api-key` header
(developer-portal.driver-vehicle-licensing.api.gov.uk). 200 gives the vehicle; 404 "Vehicle Not
Found"; 400 a bad registration; 429, 500 and 503 are the service's own trouble.
"""

import re

from licensing.integrations.answers import Answer, NotConfigured, refused, unavailable
from licensing.integrations.breaker import ServiceUnavailable, call

SERVICE = "dvla_vehicle"
# The fields the council keeps (no keeper details are returned by VES anyway).
KEPT = ("registrationNumber", "make", "colour", "taxStatus", "taxDueDate", "motStatus", "motExpiryDate",
        "yearOfManufacture", "fuelType", "monthOfFirstRegistration", "markedForExport", "wheelplan")


def normalise_registration(value):
    return re.sub(r"[^A-Z0-9]", "", (value or "").upper())


def configured(config):
    return bool(config.get("DVLA_VES_API_KEY") and config.get("DVLA_VES_URL"))


def vehicle_enquiry(config, registration, session=None):
    if not configured(config):
        raise NotConfigured("DVLA_VES_API_KEY")
    registration = normalise_registration(registration)
    try:
        response = call(SERVICE, config, "POST", config["DVLA_VES_URL"], session=session,
                        json={"registrationNumber": registration},
                        headers={"x-api-key": config["DVLA_VES_API_KEY"], "Accept": "application/json"})
    except ServiceUnavailable as error:
        return unavailable(str(error))
    if response.status_code == 404:
        return Answer("not_found")
    if response.status_code != 200:
        return refused(response.status_code)
    body = response.json()
    return Answer("found", {key: body[key] for key in KEPT if key in body})


def compare_with_register(vehicle, result):
    """Differences between the register's vehicle and DVLA's answer: [(field label, ours, DVLA's)]."""
    pairs = (("Make", vehicle.make, result.get("make")), ("Colour", vehicle.colour, result.get("colour")))
    return [(label, ours, theirs) for label, ours, theirs in pairs
            if theirs is not None and (ours or "").strip().upper() != str(theirs).strip().upper()]

"""DBS Update Service status check, made only with the holder's recorded consent.

GET DBS_UPDATE_URL + certificate number with `dateOfBirth` (DD/MM/YYYY), `surname`,
`hasAgreedTermsAndConditions=true`, `organisationName`, `employeeForename` and `employeeSurname`
(the DBS Multiple Status Checking guide). The answer is XML: `<statusCheckResult>` with
`statusCheckResultType` SUCCESS and `status` one of BLANK_NO_NEW_INFO, NON_BLANK_NO_NEW_INFO,
NEW_INFO or NO_MATCH_FOUND.
"""

import defusedxml.ElementTree as ElementTree

from licensing.integrations.answers import Answer, NotConfigured, refused, unavailable
from licensing.integrations.breaker import ServiceUnavailable, call

SERVICE = "dbs_update"
STATUS_TEXT = {
    "BLANK_NO_NEW_INFO": "The certificate showed no information and is still current",
    "NON_BLANK_NO_NEW_INFO": "The certificate showed information and is still current",
    "NEW_INFO": "New information: the certificate is no longer current; ask for a new DBS check",
    "NO_MATCH_FOUND": "No certificate matches these details",
}


def configured(config):
    return all(config.get(k) for k in ("DBS_UPDATE_URL", "DBS_ORGANISATION_NAME", "DBS_CHECKER_FORENAME",
                                       "DBS_CHECKER_SURNAME"))


def status_check(config, certificate_number, surname, date_of_birth, session=None):
    if not configured(config):
        raise NotConfigured("DBS_UPDATE_URL")
    params = {"dateOfBirth": date_of_birth.strftime("%d/%m/%Y"), "surname": surname.upper(),
              "hasAgreedTermsAndConditions": "true", "organisationName": config["DBS_ORGANISATION_NAME"],
              "employeeForename": config["DBS_CHECKER_FORENAME"], "employeeSurname": config["DBS_CHECKER_SURNAME"]}
    try:
        response = call(SERVICE, config, "GET", config["DBS_UPDATE_URL"] + certificate_number, session=session,
                        params=params, headers={"Accept": "application/xml"})
    except ServiceUnavailable as error:
        return unavailable(str(error))
    if response.status_code != 200:
        return refused(response.status_code)
    try:
        root = ElementTree.fromstring(response.content)
    except ElementTree.ParseError:
        return unavailable("unreadable answer")
    status = (root.findtext("status") or "").strip()
    if (root.findtext("statusCheckResultType") or "").strip() != "SUCCESS" or status not in STATUS_TEXT:
        return unavailable("unexpected answer")
    if status == "NO_MATCH_FOUND":
        return Answer("not_found", {"status": status})
    return Answer("found", {"status": status, "print_date": (root.findtext("printDate") or "").strip() or None})

"""The JSON API under /api/v1/. Each route declares its access: `public`, or `scope_required(scope)`,
which wants `Authorization: Bearer <token>` of an active client holding that scope (staff sign-in
cookies grant nothing here). Answers are JSON, errors included; no forms, so no CSRF token."""

import functools
import uuid

from flask import g, jsonify, request
from flask_smorest import Api, Blueprint, abort
from flask_smorest.error_handler import ErrorSchema
from werkzeug.exceptions import HTTPException

from licensing.api.operations import note_use, receive_application
from licensing.api.queries import client_application, client_for_token, register_licence, register_licences, validity
from licensing.api.schemas import (
    Application,
    NewApplication,
    PublicRegisterPage,
    PublicRegisterQuery,
    RegisterLicence,
    RegisterPage,
    RegisterQuery,
    Validity,
    ValidityQuery,
)
from licensing.api.tokens import bearer_token
from licensing.audit import record
from licensing.dbsetup import keep_refusal_record
from licensing.errors import ConflictError, DomainError
from licensing.extensions import csrf, db
from licensing.models import ApiScope
from licensing.permissions import public
from licensing.public_register.queries import register_page
from licensing.web.limits import limit_api

bp = Blueprint("api", __name__, url_prefix="/api/v1",
               description="Licence validity, the public register, register reads and portal applications")
BEARER = "bearerAuth"
ERROR_CODES = (400, 401, 403, 404, 405, 409, 413, 422, 429, 503)


class LicensingApi(Api):
    """flask-smorest's Api, without its app-wide JSON error handler: the staff pages keep their own
    error pages, and the API blueprint answers its errors in JSON itself (below)."""

    def _register_error_handlers(self):
        return None


def _refuse(status, message):
    headers = {"WWW-Authenticate": 'Bearer realm="licensing"'} if status == 401 else None
    abort(status, message=message, headers=headers)


def scope_required(scope):
    """A route for clients holding `scope`: 401 without a valid token, 403 without the scope."""
    scope = ApiScope(scope)

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            token = bearer_token(request.headers.get("Authorization"))
            client = client_for_token(token) if token else None
            if client is None or not client.is_active:
                _refuse(401, "Send an active client token: Authorization: Bearer <token>")
            if not client.has_scope(scope):
                record(None, "api.denied", entity_type="api_clients", entity_id=client.id,
                       reason=f"{request.method} {request.path}: lacks {scope}")
                keep_refusal_record()
                _refuse(403, f"This client's token does not hold the {scope} scope")
            note_use(client)
            g.api_client = client
            return view(*args, **kwargs)

        wrapper.access_rule = scope
        return wrapper

    return decorator


def _secured(scope):
    return {"security": [{BEARER: []}],
            "description": f"Needs a client token with the `{scope}` scope.",
            "responses": {"401": {"$ref": "#/components/responses/UNAUTHORIZED"},
                          "403": {"$ref": "#/components/responses/FORBIDDEN"}}}


def _not_found(description):
    return bp.alt_response(404, schema=ErrorSchema, description=description)


@bp.route("/validity")
@scope_required(ApiScope.VALIDITY_READ)
@bp.arguments(ValidityQuery, location="query")
@bp.response(200, Validity)
@_not_found("No licence with that number")
@bp.doc(**_secured(ApiScope.VALIDITY_READ))
def licence_validity(args):
    """Is this licence valid? By licence, badge or plate number: valid or not, type, status and expiry"""
    answer = validity(args["by"], args["number"])
    if answer is None:
        abort(404, message="No licence with that number on this council's register")
    return answer


@bp.route("/public-register")
@public
@bp.arguments(PublicRegisterQuery, location="query")
@bp.response(200, PublicRegisterPage)
def public_register(args):
    """The public register: licences in force, with the fields published on the register's pages"""
    page = register_page(args["q"], args["section"], after=args["after"])
    entries = [{**row._asdict(), "licence_type": row.licence_type.value, "status": row.status.value}
               for row in page.entries]
    return {"entries": entries, "count": page.count, "next_after": page.next_after}


@bp.route("/register/licences")
@scope_required(ApiScope.REGISTER_READ)
@bp.arguments(RegisterQuery, location="query")
@bp.response(200, RegisterPage)
@bp.doc(**_secured(ApiScope.REGISTER_READ))
def register_list(args):
    """The register for the council's CRM, in pages: licences with the holder's reference and name"""
    page = register_licences(args["after"], args["limit"], args["status"])
    record(None, "api.register_read", entity_type="api_clients", entity_id=g.api_client.id,
           reason=f"{len(page['items'])} licences after #{args['after']} for API client #{g.api_client.id}")
    return page


@bp.route("/register/licences/<licence_number>")
@scope_required(ApiScope.REGISTER_READ)
@bp.response(200, RegisterLicence)
@_not_found("No such licence")
@bp.doc(**_secured(ApiScope.REGISTER_READ))
def register_one(licence_number):
    """One licence of the register, by its number"""
    item = register_licence(licence_number)
    if item is None:
        abort(404, message="No licence with that number")
    record(None, "api.register_read", entity_type="api_clients", entity_id=g.api_client.id,
           reason=f"licence {item['licence_number']} for API client #{g.api_client.id}")
    return item


def _application(application):
    licence = application.licence
    return {"id": application.id, "licence_number": licence.licence_number,
            "licence_type": licence.licence_type.value, "licence_status": licence.status.value,
            "outcome": application.outcome.value, "origin": application.origin.value,
            "received_on": application.received_on, "decided_on": application.decided_on}


@bp.route("/applications", methods=["POST"])
@scope_required(ApiScope.APPLICATIONS_WRITE)
@bp.arguments(NewApplication)
@bp.response(201, Application)
@bp.doc(**_secured(ApiScope.APPLICATIONS_WRITE))
def new_application(data):
    """Send a driver licence application from the council's portal. It waits for an officer's or a
    hearing's decision like any other application"""
    return _application(receive_application(g.api_client, data))


@bp.route("/applications/<int:application_id>")
@scope_required(ApiScope.APPLICATIONS_WRITE)
@bp.response(200, Application)
@_not_found("No application of this client's with that id")
@bp.doc(**_secured(ApiScope.APPLICATIONS_WRITE))
def application_status(application_id):
    """Where an application this client sent has got to"""
    application = client_application(g.api_client, application_id)
    if application is None:
        abort(404, message="No application of this client's with that id")
    return _application(application)


def _json_error(error):
    if not g.get("keep_refusal_record"):  # a kept refusal's audit row is committed at the edge
        db.session.rollback()
    payload = {"code": error.code, "status": error.name}
    data = getattr(error, "data", None) or {}
    payload["message"] = data.get("message") or error.description
    errors = data.get("errors") or data.get("messages")
    if errors:
        payload["errors"] = errors
    response = jsonify(payload)
    response.status_code = error.code
    response.headers.update(data.get("headers") or {})
    if error.code == 429:
        response.headers.setdefault("Retry-After", "60")
    if isinstance(error, HTTPException) and error.code == 405 and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def _domain_error(error):
    db.session.rollback()
    status = 409 if isinstance(error, ConflictError) else 422
    body = {"code": status, "status": "Conflict" if status == 409 else "Unprocessable Entity",
            "message": error.message}
    if error.field:
        body["errors"] = {"json": {error.field: [error.message]}}
    return jsonify(body), status


def _server_error(error):
    from licensing.logs import log_unhandled

    reference = uuid.uuid4().hex[:12]
    db.session.rollback()
    log_unhandled(error, reference)
    return jsonify({"code": 500, "status": "Internal Server Error", "message": f"Reference {reference}"}), 500


for _code in ERROR_CODES:
    bp.register_error_handler(_code, _json_error)
bp.register_error_handler(DomainError, _domain_error)
bp.register_error_handler(500, _server_error)


def _client_key():
    """Rate limits count per client token where one is sent, else per address."""
    token = bearer_token(request.headers.get("Authorization"))
    return f"token:{token[:24]}" if token else f"address:{request.remote_addr}"


def init_api(app):
    """Register the API blueprint, its OpenAPI document and its error answers on `app`."""
    app.config.setdefault("API_TITLE", "Taxi licensing API")
    app.config.setdefault("API_VERSION", "1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    docs = LicensingApi(app, spec_kwargs={"info": {"description": (
        f"The HTTP API of {app.config.get('COUNCIL_NAME', 'the council')}'s taxi licensing register. Clients "
        "send `Authorization: Bearer <token>`; each token holds scopes, and each route names the scope it needs. "
        "Licence status changes are sent to a client's webhook address, signed: see the header "
        "`Licensing-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of \"<t>.<body>\">`.")}})
    docs.spec.components.security_scheme(BEARER, {"type": "http", "scheme": "bearer"})
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    docs.spec.components.response("UNAUTHORIZED", {"description": "No active client token", "content": error})
    docs.spec.components.response("FORBIDDEN", {"description": "The token lacks the scope", "content": error})
    csrf.exempt(bp)
    if not getattr(bp, "rate_limited", False):  # the limiter is process-wide: once, whatever the apps
        limit_api(bp, key_func=_client_key)
        bp.rate_limited = True
    docs.register_blueprint(bp)
    served = app.view_functions["api-docs.openapi_json"]

    @public
    def openapi_json():
        return served()

    app.view_functions["api-docs.openapi_json"] = openapi_json
    return docs

"""The API's request and response shapes (marshmallow); the OpenAPI description is built from them."""

from marshmallow import Schema, fields, validate

from licensing.models import LicenceStatus, LicenceType

LICENCE_TYPES = [t.value for t in LicenceType]
STATUSES = [s.value for s in LicenceStatus]


class ValidityQuery(Schema):
    by = fields.String(required=True, validate=validate.OneOf(["licence", "badge", "plate"]),
                       metadata={"description": "What the number is: a licence, badge or plate number"})
    number = fields.String(required=True, validate=validate.Length(min=1, max=32))


class Validity(Schema):
    valid = fields.Boolean(required=True, metadata={"description": "Active and not past its expiry date"})
    licence_number = fields.String(required=True)
    licence_type = fields.String(required=True, validate=validate.OneOf(LICENCE_TYPES))
    licence_type_label = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    expires_on = fields.Date(allow_none=True)
    vehicle_registration = fields.String(allow_none=True)
    plate_number = fields.String(allow_none=True)
    checked_on = fields.Date(required=True)


class PublicRegisterQuery(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=100))
    section = fields.String(load_default=None, validate=validate.OneOf(["drivers", "vehicles", "operators"]))
    after = fields.Integer(load_default=None, validate=validate.Range(min=0))


class PublicEntry(Schema):
    name = fields.String(required=True)
    licence_number = fields.String(required=True)
    licence_type = fields.String(required=True, validate=validate.OneOf(LICENCE_TYPES))
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    expires_on = fields.Date(allow_none=True)
    vehicle_registration = fields.String(allow_none=True)
    vehicle_make = fields.String(allow_none=True)
    plate_number = fields.String(allow_none=True)


class PublicRegisterPage(Schema):
    entries = fields.List(fields.Nested(PublicEntry), required=True)
    count = fields.Integer(required=True, metadata={"description": "Matches, counted up to 1,001"})
    next_after = fields.Integer(allow_none=True, metadata={"description": "Pass as `after` for the next page"})


class RegisterQuery(Schema):
    after = fields.Integer(load_default=0, validate=validate.Range(min=0))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))


class RegisterLicence(Schema):
    licence_number = fields.String(required=True)
    licence_type = fields.String(required=True, validate=validate.OneOf(LICENCE_TYPES))
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    issued_on = fields.Date(allow_none=True)
    expires_on = fields.Date(allow_none=True)
    badge_number = fields.String(allow_none=True)
    holder_ref = fields.String(required=True)
    holder_name = fields.String(required=True)
    vehicle_registration = fields.String(allow_none=True)
    plate_number = fields.String(allow_none=True)


class RegisterPage(Schema):
    items = fields.List(fields.Nested(RegisterLicence), required=True)
    next_after = fields.Integer(allow_none=True, metadata={"description": "Pass as `after` for the next page"})


class Applicant(Schema):
    first_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    last_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    date_of_birth = fields.Date(required=True)
    email = fields.Email(load_default=None, validate=validate.Length(max=254))
    phone = fields.String(load_default=None, validate=validate.Length(max=40))
    address = fields.String(load_default=None, validate=validate.Length(max=500))
    postcode = fields.String(load_default=None, validate=validate.Length(max=10))


class NewApplication(Schema):
    licence_type = fields.String(required=True, validate=validate.OneOf(
        ["hackney_carriage_driver", "private_hire_driver", "dual_driver"]))
    received_on = fields.Date(load_default=None)
    portal_reference = fields.String(load_default=None, validate=validate.Length(max=64))
    applicant = fields.Nested(Applicant, required=True)


class Application(Schema):
    id = fields.Integer(required=True)
    licence_number = fields.String(required=True)
    licence_type = fields.String(required=True, validate=validate.OneOf(LICENCE_TYPES))
    licence_status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    outcome = fields.String(required=True, validate=validate.OneOf(["pending", "granted", "refused", "deferred"]))
    origin = fields.String(required=True, validate=validate.OneOf(["office", "portal"]))
    received_on = fields.Date(required=True)
    decided_on = fields.Date(allow_none=True)

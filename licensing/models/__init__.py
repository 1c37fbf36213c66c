"""All models, importable from one place."""

from licensing.models.applications import (
    ApplicationKind,
    ApplicationOutcome,
    DecisionCapacity,
    LicenceApplication,
)
from licensing.models.audit import AuditEvent
from licensing.models.checks import CheckKind, CheckResult, ComplianceCheck, EvidenceDocument
from licensing.models.holders import (
    DRIVER_TYPES,
    VEHICLE_TYPES,
    HolderKind,
    Licence,
    LicenceHolder,
    LicenceStatus,
    LicenceType,
    Vehicle,
    normalise_registration,
)
from licensing.models.offences import (
    Conviction,
    Disposal,
    Intelligence,
    IntelligenceSource,
    OffenceCategory,
    OffenceSource,
)
from licensing.models.users import Role, User

__all__ = [
    "ApplicationKind",
    "ApplicationOutcome",
    "DecisionCapacity",
    "LicenceApplication",
    "AuditEvent",
    "CheckKind",
    "CheckResult",
    "ComplianceCheck",
    "Conviction",
    "DRIVER_TYPES",
    "Disposal",
    "EvidenceDocument",
    "HolderKind",
    "Intelligence",
    "IntelligenceSource",
    "Licence",
    "LicenceHolder",
    "LicenceStatus",
    "LicenceType",
    "OffenceCategory",
    "OffenceSource",
    "Role",
    "User",
    "VEHICLE_TYPES",
    "Vehicle",
    "normalise_registration",
]

"""All models, importable from one place."""

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
from licensing.models.search_indexes import SEARCH_INDEXES  # noqa: F401 - attaches the indexes
from licensing.models.users import Role, User

__all__ = [
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

"""All models, importable from one place."""

from licensing.models.audit import AuditChainHead, AuditEvent
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
from licensing.models.users import RecoveryCode, Role, User

__all__ = [
    "AuditChainHead",
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
    "RecoveryCode",
    "Role",
    "User",
    "VEHICLE_TYPES",
    "Vehicle",
    "normalise_registration",
]

"""Domain errors of the revocations area; messages are shown to the user as they are."""

from licensing.errors import ConflictError, DomainError, check_version


class RevocationError(DomainError):
    """A refused change to an enforcement action, an appeal, an NR3S duty or a referral."""


__all__ = ["ConflictError", "RevocationError", "check_version"]

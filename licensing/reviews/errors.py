"""Domain errors of the reviews area: the message is shown to the user as it is."""

from licensing.errors import ConflictError, DomainError, check_version


class ReviewError(DomainError):
    """A refused change to a review case, a complaint or the guidance."""


__all__ = ["ConflictError", "ReviewError", "check_version"]

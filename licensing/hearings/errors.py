"""Domain errors of the hearings area; messages are shown to the user as they are."""

from licensing.errors import ConflictError, check_version
from licensing.reviews.errors import ReviewError


class HearingError(ReviewError):
    """A refused change to a hearing, a listing or a decision."""


__all__ = ["ConflictError", "HearingError", "check_version"]

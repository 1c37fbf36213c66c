"""Domain errors of the hearings area; messages are shown to the user as they are."""

from licensing.reviews.errors import ConflictError, ReviewError, check_version


class HearingError(ReviewError):
    """A refused change, with a message for the user; `field` names the form field if any."""


__all__ = ["ConflictError", "HearingError", "check_version"]

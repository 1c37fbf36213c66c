"""Domain errors of the revocations area; messages are shown to the user as they are."""


class RevocationError(Exception):
    """A refused change, with a message for the user; `field` names the form field if any."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


class ConflictError(RevocationError):
    """Someone else changed the record after the form was opened."""


def check_version(record, submitted_version, what):
    if submitted_version not in (None, "") and int(submitted_version) != record.version:
        raise ConflictError(
            f"This {what} was changed by someone else while you were editing it. "
            "Reload the page to see the latest version, then try again."
        )

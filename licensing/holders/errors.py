"""Domain errors of the register, carrying a message for the user and the field it belongs to."""

from licensing.errors import DomainError


class RegisterError(DomainError):
    """A change to the register that cannot be made."""


class NotReadyError(RegisterError):
    """Grant or renewal refused because required checks are missing; `missing` lists them."""

    def __init__(self, missing, field=None):
        self.missing = list(missing)
        super().__init__(
            "This licence cannot be granted until these are in place: " + "; ".join(self.missing) + ".",
            field=field,
        )


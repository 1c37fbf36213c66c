"""Domain errors of the register, carrying a message for the user and the field it belongs to."""

from licensing.errors import DomainError


class RegisterError(DomainError):
    """A change to the register that cannot be made."""


class NotReadyError(RegisterError):
    """Grant or renewal refused because required checks are missing; `missing` lists them.

    The message (shown in the error summary and at the field) is short: a count and a pointer,
    because the decision page lists each missing check with a link to record it. `str()` keeps
    the full list for the command line, logs and anything without that page."""

    def __init__(self, missing, field=None):
        self.missing = list(missing)
        count = len(self.missing)
        things = "check listed under ‘What is missing’ is" if count == 1 else \
            f"{count} checks listed under ‘What is missing’ are"
        super().__init__(f"This licence cannot be granted until the {things} in place", field=field)
        self.args = (f"{self.message}: {'; '.join(self.missing)}.",)

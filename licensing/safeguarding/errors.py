from licensing.errors import DomainError


class SafeguardingError(DomainError):
    """A refusal in the safeguarding and data protection area."""

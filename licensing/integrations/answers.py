"""What a lookup adapter returns: the outcome and the parts of the answer the council keeps."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Answer:
    outcome: str  # a LookupOutcome value: found, not_found, refused, unavailable
    result: dict = field(default_factory=dict)
    reason: str = ""  # why it was refused or unavailable (never personal data)

    @property
    def found(self):
        return self.outcome == "found"


def unavailable(reason):
    return Answer("unavailable", {}, reason)


def refused(status):
    return Answer("refused", {}, f"HTTP {status}")


class NotConfigured(Exception):
    """The service's settings are not given: the lookup is off."""

"""Versioned policy data and the pure functions that apply it."""


def in_force_on(editions, day):
    """The edition in force on `day` from `editions` sorted by `effective_from` (the earliest
    edition for days before all of them)."""
    current = editions[0]
    for edition in editions:
        if edition.effective_from <= day:
            current = edition
    return current

"""Versioned policy data and the pure functions that apply it.

Each policy file (`data/*.json`) holds `editions`, each with its `effective_from` date; the edition
in force on a day is the latest that began on or before it."""

import dataclasses
import datetime as dt
import functools
import json
import pathlib


@functools.cache
def load_editions(path, build):
    """The editions of the policy file at `path`, each made by `build(raw edition)`, sorted by
    `effective_from`; read once per process."""
    raw = json.loads(pathlib.Path(path).read_text())["editions"]
    return tuple(sorted((build(edition) for edition in raw), key=lambda edition: edition.effective_from))


def from_record(cls, raw):
    """A frozen dataclass from a raw edition: dates from ISO text, numbers from their text."""
    values = {}
    for field in dataclasses.fields(cls):
        value = raw[field.name]
        if field.type is dt.date:
            value = dt.date.fromisoformat(value)
        elif field.type is int:
            value = int(value)
        values[field.name] = value
    return cls(**values)


def in_force_on(editions, day):
    """The edition in force on `day` from `editions` sorted by `effective_from` (the earliest
    edition for days before all of them)."""
    current = editions[0]
    for edition in editions:
        if edition.effective_from <= day:
            current = edition
    return current

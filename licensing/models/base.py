"""Shared column helpers for the models."""

import enum
from datetime import UTC, datetime

import sqlalchemy as sa


def utcnow():
    return datetime.now(UTC).replace(tzinfo=None)


def enum_column(enum_cls, name, **kwargs):
    """A string column whose allowed values the database enforces with a CHECK constraint."""
    return sa.Column(
        sa.Enum(
            enum_cls,
            name=name,
            native_enum=False,
            create_constraint=True,
            length=max(len(m.value) for m in enum_cls),
            values_callable=lambda e: [m.value for m in e],
            validate_strings=True,
        ),
        **kwargs,
    )


class LabelledEnum(enum.StrEnum):
    """An enumeration whose members know their human label."""

    @property
    def label(self):
        return self.value.replace("_", " ").capitalize()

    @classmethod
    def choices(cls):
        return [(m.value, m.label) for m in cls]

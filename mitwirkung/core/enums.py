"""Statuses and kinds as StrEnums that carry their label and give their CHECK constraint,
so a status is spelled, checked by the database and shown in one place."""

from enum import StrEnum


class LabelledEnum(StrEnum):
    """Members are `NAME = "value", lazy_gettext("Label")`; they compare equal to their
    value, which is what the database stores."""

    def __new__(cls, value: str, label=None):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label if label is not None else value
        return member

    @classmethod
    def check(cls, column: str) -> str:
        """The SQL of a CHECK constraint that allows exactly these values in `column`."""
        return f"{column} IN ({', '.join(repr(member.value) for member in cls)})"

    @classmethod
    def label_of(cls, value: str):
        """The label of a stored value."""
        return cls(value).label

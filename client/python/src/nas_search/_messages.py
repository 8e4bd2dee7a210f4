"""Dataclasses that mirror a proto message field by field."""
from __future__ import annotations

import dataclasses
from typing import Any, Type, TypeVar

T = TypeVar("T")


def field_value(message: Any, name: str) -> Any:
    """The message's field ``name``; None for an unset field with presence (``optional`` or a message)."""
    try:
        if not message.HasField(name):
            return None
    except ValueError:  # no presence: a plain proto3 scalar or a repeated field
        pass
    return getattr(message, name)


def from_message(cls: Type[T], message: Any, **values: Any) -> T:
    """An instance of the dataclass ``cls``: ``values`` as given, every other field read from the message
    field of the same name (see :func:`field_value`)."""
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name not in values:
            values[f.name] = field_value(message, f.name)
    return cls(**values)

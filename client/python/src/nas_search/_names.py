"""Search resource names: "searches/{search_id}"; callers may pass either form."""
from __future__ import annotations

PREFIX = "searches/"


def search_id(id_or_name: str) -> str:
    """``"abc"`` or ``"searches/abc"`` -> ``"abc"``."""
    if not isinstance(id_or_name, str):
        raise TypeError(f"Expected a search id string, but got {type(id_or_name).__name__}")
    sid = id_or_name[len(PREFIX):] if id_or_name.startswith(PREFIX) else id_or_name
    if not sid.strip() or "/" in sid:
        raise ValueError(f"Expected a search id like 'abc' or 'searches/abc', but got {id_or_name!r}")
    return sid


def search_name(id_or_name: str) -> str:
    """``"abc"`` or ``"searches/abc"`` -> ``"searches/abc"``."""
    return PREFIX + search_id(id_or_name)

"""Parsing of view state from the query string (?substances=heroin,cocaine&geo=...).

Values offered by controls come from the data; anything in the URL that is not among them is
dropped, so a hand-edited link cannot put unknown values into a control.
"""
from __future__ import annotations

from collections.abc import Iterable


def as_list(value) -> list[str] | None:
    """None when the parameter is absent; else the comma-separated or repeated values."""
    if value is None:
        return None
    items = value if isinstance(value, (list, tuple)) else [value]
    out: list[str] = []
    for item in items:
        out += [part.strip() for part in str(item).split(",") if part.strip()]
    return out


def choose_many(value, allowed: Iterable[str], default: Iterable[str]) -> list[str]:
    allowed = list(allowed)
    wanted = as_list(value)
    if wanted is None:
        wanted = list(default)
    # in the reader's order (the first place chosen keeps the first colour), so the address written
    # from the values and the control that shows them agree after a reload or Back
    known = set(allowed)
    return list(dict.fromkeys(w for w in wanted if w in known))


def choose_one(value, allowed: Iterable[str], default: str | None) -> str | None:
    allowed = list(allowed)
    wanted = as_list(value)
    if wanted:
        for item in wanted:
            if item in allowed:
                return item
    if default in allowed:
        return default
    return allowed[0] if allowed else None


def query_params(search: str | None) -> dict[str, str | list[str]]:
    """`?a=1&b=x,y&b=z` as keyword arguments of a view's layout: one value as a string, a repeated
    parameter as a list (choose_many splits commas in either)."""
    from urllib.parse import parse_qs

    out: dict[str, str | list[str]] = {}
    for key, values in parse_qs((search or "").lstrip("?"), keep_blank_values=False).items():
        if key.isidentifier() or key in ("from", "to"):
            out[key] = values[0] if len(values) == 1 else values
    return out

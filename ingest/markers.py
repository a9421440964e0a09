"""Markers: the texts publishers print in a number's place, and what each one means.

A spec's `markers:` maps a cell text to a qualifier of the one vocabulary (ingest/vocabulary.py),
optionally with the number it stands for or the bound it gives:

    markers:
      "..": not_available                       # no number exists
      "[c]": suppressed                         # withheld to protect privacy
      "-": {qualifier: exact, value: 0}         # a nil cell is a true zero
      "<5": {qualifier: below, value_high: 5}   # an upper bound: between 0 and 5

The parsers put a marker's text in `<column>_marker` and leave the number empty; the observation
mapping (ingest/observations.py) reads qualifier, value and bounds from here, so a suppressed cell
arrives as `suppressed` instead of being mistaken for a missing number.
"""
from __future__ import annotations

from ingest.problems import SpecError
from ingest.vocabulary import QUALIFIERS

# Statistikkbanken's explanation of symbols, in the vocabulary: the default markers of an
# ssb_statbank_csv source (a spec's own markers add to them or override them).
SSB_MARKERS = {
    "..": {"qualifier": "not_available"},      # "Tall kan ikke forekomme" / not available
    "...": {"qualifier": "not_available"},     # not yet available
    ":": {"qualifier": "suppressed"},          # confidential (vises ikke av personvernhensyn)
    ".": {"qualifier": "not_available"},       # not applicable: no number can exist
    "-": {"qualifier": "exact", "value": 0},   # nil: nothing to report, a true zero
}
MARKER_KEYS = ("qualifier", "value", "value_low", "value_high")


def read_markers(raw, fmt: str, where: str) -> dict[str, dict]:
    """The spec's markers, normalised to {text: {qualifier, value?, value_low?, value_high?}}."""
    markers = {k: dict(v) for k, v in SSB_MARKERS.items()} if fmt == "ssb_statbank_csv" else {}
    if raw is None:
        return markers
    if not isinstance(raw, dict):
        raise SpecError(f'{where}: must map a cell text to a qualifier, e.g. markers: {{"..": not_available}}')
    for text, meaning in raw.items():
        if not isinstance(text, str) or not text.strip():
            raise SpecError(f"{where}.{text!r}: a marker is a non-empty text; quote it (\"{text}\"): YAML "
                            "reads a bare NO, yes, 5 or - as something else")
        entry = {"qualifier": meaning} if isinstance(meaning, str) else meaning
        if not isinstance(entry, dict) or set(entry) - set(MARKER_KEYS) or "qualifier" not in entry:
            raise SpecError(f"{where}.{text}: write a qualifier (\"{text}\": suppressed) or a mapping with "
                            f"qualifier and any of value, value_low, value_high, not {meaning!r}")
        if entry["qualifier"] not in QUALIFIERS:
            raise SpecError(f"{where}.{text}: qualifier {entry['qualifier']!r} is not one of {sorted(QUALIFIERS)}",
                            None, f"markers.{text}")
        for key in MARKER_KEYS[1:]:
            value = entry.get(key)
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
                raise SpecError(f"{where}.{text}.{key}: must be a number, not {value!r}")
        markers[text.strip()] = entry
    return markers

"""Shared pieces of the views: colours, the source note, empty states, the share link."""
from dash_app.components.notes import empty_state, share_link, source_note, unavailable_notice
from dash_app.components.theme import (
    base_layout,
    DIRECTION_COLOURS,
    OKABE_ITO,
    PROVISIONAL_DASH,
    ROUND_COLOURS,
    SERIES_COLOURS,
    SERIES_DASHES,
)

__all__ = [
    "DIRECTION_COLOURS",
    "OKABE_ITO",
    "PROVISIONAL_DASH",
    "ROUND_COLOURS",
    "SERIES_COLOURS",
    "SERIES_DASHES",
    "base_layout",
    "empty_state",
    "share_link",
    "source_note",
    "unavailable_notice",
]

"""Colours and figure defaults. Okabe-Ito: distinguishable with the common colour-vision deficiencies."""
from __future__ import annotations

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#999999",
}

# Order used for data series: strongest contrast on white first, yellow last.
SERIES_COLOURS = [
    OKABE_ITO["blue"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["orange"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["black"],
    OKABE_ITO["yellow"],
]
# Line styles repeat the colour information for print and for readers who cannot use colour.
SERIES_DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]

# Direction signals: increase / decrease / stable.
DIRECTION_COLOURS = {
    "increase": OKABE_ITO["vermillion"],
    "decrease": OKABE_ITO["blue"],
    "stable": OKABE_ITO["grey"],
}


def base_layout(**overrides) -> dict:
    """Layout defaults shared by every figure (white template, readable fonts, room for legends)."""
    layout = dict(
        template="plotly_white",
        font=dict(family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif", size=14),
        margin=dict(l=70, r=30, t=60, b=50),
        hoverlabel=dict(font_size=13, align="left"),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
        colorway=SERIES_COLOURS,
    )
    layout.update(overrides)
    return layout

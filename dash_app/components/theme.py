"""Colours, line styles and figure defaults.

Palette: colour-blind safe and at least 3:1 contrast against the white plot background (WCAG 2.x
non-text contrast) for every colour that draws data. It keeps the Okabe-Ito colours that pass
(blue 5.2:1, vermillion 3.9:1, bluish green 3.4:1, reddish purple 3.1:1, black) and replaces the three
that do not (orange 2.3:1, sky blue 2.3:1, yellow 1.3:1) by the dark members of Paul Tol's "muted"
scheme, which is designed for the same colour-vision deficiencies: wine #882255 (8.7:1) and olive
#999933 (3.0:1). Neutral grey is #6b6b6b (5.3:1), not Okabe-Ito's #999999 (2.9:1).
tests/unit/test_chart_kit.py computes the contrast of every constant here.
"""
from __future__ import annotations

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",        # 2.3:1 on white: not for data
    "sky_blue": "#56B4E9",      # 2.3:1 on white: not for data
    "bluish_green": "#009E73",
    "yellow": "#F0E442",        # 1.3:1 on white: not for data
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#6B6B6B",          # darker than Okabe-Ito's #999999 (2.9:1)
}
TOL_MUTED_DARK = {"wine": "#882255", "olive": "#999933"}

# Order used for data series: neighbours differ most (hue and lightness), strongest contrast first.
SERIES_COLOURS = [
    OKABE_ITO["blue"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["bluish_green"],
    TOL_MUTED_DARK["wine"],
    OKABE_ITO["black"],
    OKABE_ITO["reddish_purple"],
    TOL_MUTED_DARK["olive"],
]
# Survey rounds (one colour per round).
ROUND_COLOURS = [OKABE_ITO["blue"], OKABE_ITO["vermillion"], OKABE_ITO["bluish_green"], TOL_MUTED_DARK["wine"]]

# Line styles repeat the colour information for print and for readers who cannot use colour.
# "dot" is reserved for provisional values (PROVISIONAL_DASH) and never tells series apart.
PROVISIONAL_DASH = "dot"
SERIES_DASHES = ["solid", "dash", "dashdot", "longdash", "longdashdot"]
EVENT_DASH = "dash"  # vertical event lines (thin, grey); never horizontal data

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
        paper_bgcolor="#FFFFFF",
        plot_bgcolor="#FFFFFF",
    )
    layout.update(overrides)
    return layout

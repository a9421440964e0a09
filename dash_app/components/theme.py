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

import functools
import json

import plotly.io as pio

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


# The template every figure starts from, as plotly's default: plotly puts it into a figure when the
# figure is serialised, through its own path for a registered (already validated) template, ~0.5 ms.
# Setting it per figure (update_layout(template=name)) deep-copies and re-validates the whole template,
# ~10 ms a figure (python -m bench callbacks). Every figure of the app goes through base_layout, which
# used to set it; the figures are the same.
TEMPLATE = "plotly_white"
pio.templates.default = TEMPLATE


def base_layout(**overrides) -> dict:
    """Layout defaults shared by every figure (readable fonts, room for legends; the white template is
    plotly's default, TEMPLATE)."""
    layout = dict(
        font=dict(family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif", size=14),
        margin=dict(l=70, r=30, t=60, b=50),
        hoverlabel=dict(font=dict(size=13), align="left"),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
        colorway=SERIES_COLOURS,
        paper_bgcolor="#FFFFFF",
        plot_bgcolor="#FFFFFF",
    )
    layout.update(overrides)
    return layout


# --------------------------------------------------------------------------------------------
# Figures assembled as dicts (the views with many traces or panels)
# --------------------------------------------------------------------------------------------
# plotly validates every property it is given, and go.Figure.add_trace(row=, col=), update_yaxes(row=)
# and update_layout(template=name) each walk its property machinery again: for the 30 traces and 8
# panels of the survey chart that was ~150 ms of a ~180 ms callback. A view that writes its traces and
# layout as dicts against plotly's schema makes them a figure once, with figure_of.

@functools.lru_cache(maxsize=64)
def _subplot_layout_json(items: tuple) -> str:
    from plotly.subplots import make_subplots

    kwargs = {k: list(v) if isinstance(v, tuple) else v for k, v in items}
    return json.dumps(make_subplots(**kwargs).layout.to_plotly_json())


def subplot_layout(**kwargs) -> dict:
    """make_subplots(**kwargs).layout (axis domains and anchors, subplot title annotations) as a fresh
    dict. Memoised (make_subplots costs ~20 ms; a view asks for the same few grids again and again):
    list arguments must come as tuples."""
    return json.loads(_subplot_layout_json(tuple(sorted(kwargs.items()))))


@functools.lru_cache(maxsize=4)
def _template_json(name: str) -> str:
    import plotly.io as pio

    return json.dumps(pio.templates[name].to_plotly_json())


def figure_of(traces: list[dict], layout: dict):
    """go.Figure of trace and layout dicts without validating them again property by property.

    Only dicts written in plotly's own terms belong here: no magic underscores (`font=dict(size=13)`,
    not `font_size=13`) and axes named as a trace names them ("x2", "y2"). A template given by name
    goes in as that template's content, as validation would have put it (without one, plotly adds
    its default, TEMPLATE, when the figure is serialised)."""
    import plotly.graph_objects as go

    template = layout.get("template")
    if isinstance(template, str):
        layout = {**layout, "template": json.loads(_template_json(template))}
    return go.Figure(data=traces, layout=layout, _validate=False)

"""Alcohol: sales by beverage group: litres, shares, pure alcohol and per capita 15+ when published."""
import dash
from dash import dcc, html

from dash_app import i18n, queries, render
from dash_app.components.page import GRAPH_CONFIG, actions, control, events_on, events_toggle, page, unavailable_page
from dash_app.state import choose_one

dash.register_page(__name__, path="/alcohol", name="Alcohol", order=3,
                   title="trendvakt · Alcohol",
                   description="Alcohol sales by beverage group")

PATH = "/alcohol"
DEFAULT_GEO = "municip_nor4601"


def layout(measure=None, geo=None, events=None, lang=None, **_ignored):
    lang = i18n.lang_of(lang)
    t = i18n.t
    show = events_on(events)
    try:
        places = queries.alcohol_geographies()
        place = choose_one(geo, places["geo_code"], DEFAULT_GEO)
        fig, sources, offered, shown = render.alcohol_render(place, measure, lang, show)
    except queries.WarehouseUnavailable as exc:
        return unavailable_page(exc, lang, "alcohol", t("alc.title", lang))
    missing = [] if len(offered) > 2 else [html.P(t("alc.new_missing", lang), className="tv-hint tv-not-published",
                                                  id="alcohol-new-missing")]
    return page(
        [
            html.H1(t("alc.title", lang)),
            html.P(t("alc.lead", lang), className="tv-lead"),
            html.Section(
                [
                    html.Div([
                        control(t("place", lang), dcc.Dropdown(
                            id="alcohol-geo", clearable=False, className="tv-dropdown", value=place,
                            options=[{"label": f"{r.geo_name} ({r.first_year}–{r.last_year})", "value": r.geo_code}
                                     for r in places.itertuples()])),
                        control(t("measure", lang), dcc.RadioItems(
                            id="alcohol-measure", options=render.alcohol_measure_options(offered, lang), value=shown, inline=True,
                            className="tv-radio")),
                    ], className="tv-controls"),
                    *missing,
                    events_toggle("alcohol", show, lang),
                    dcc.Loading(dcc.Graph(id="alcohol-graph", figure=fig, config=GRAPH_CONFIG)),
                    html.Div(sources, id="alcohol-source"),
                ],
                className="tv-card",
            ),
            actions("alcohol", PATH, {"measure": shown, "geo": place, "events": None if show else "off"}, lang),
        ],
        lang, "alcohol",
    )

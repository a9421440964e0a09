"""Alcohol: on-premise sales in litres by beverage group."""
import dash
from dash import dcc, html

from dash_app import figures, queries
from dash_app.components import source_note, unavailable_notice
from dash_app.components.notes import share_link_component
from dash_app.state import choose_one

dash.register_page(__name__, path="/alcohol", name="Alcohol", order=2,
                   title="trendvakt · Alcohol",
                   description="On-premise alcohol sales by beverage group")

PATH = "/alcohol"
DEFAULT_GEO = "municip_nor4601"


def layout(measure=None, geo=None, **_ignored):
    try:
        places = queries.alcohol_geographies()
        place = choose_one(geo, places["geo_code"], DEFAULT_GEO)
        shown = choose_one(measure, list(figures.ALCOHOL_MEASURES), "litres")
        sales = queries.alcohol_sales(place)
    except queries.WarehouseUnavailable as exc:
        return html.Main(unavailable_notice(exc), className="tv-page")

    return html.Main(
        [
            html.H1("Alcohol"),
            html.P(
                "Litres of beer, wine and spirits sold by licensed premises (bars, restaurants) per "
                "year, as reported by the municipality's licensing office.",
                className="tv-lead",
            ),
            html.Section(
                [
                    html.Div(
                        [
                            html.Div([
                                html.Label("Place", htmlFor="alcohol-geo", className="tv-label"),
                                dcc.Dropdown(
                                    id="alcohol-geo",
                                    options=[{"label": f"{r.geo_name} ({r.first_year}–{r.last_year})",
                                              "value": r.geo_code} for r in places.itertuples()],
                                    value=place, clearable=False, className="tv-dropdown",
                                ),
                            ], className="tv-control"),
                            html.Div([
                                html.Label("Show", htmlFor="alcohol-measure", className="tv-label"),
                                dcc.RadioItems(
                                    id="alcohol-measure",
                                    options=[{"label": f" {label}", "value": value}
                                             for value, label in figures.ALCOHOL_MEASURES.items()],
                                    value=shown, inline=True, className="tv-radio",
                                ),
                            ], className="tv-control"),
                        ],
                        className="tv-controls",
                    ),
                    dcc.Loading(dcc.Graph(id="alcohol-graph", figure=figures.alcohol_figure(sales, shown),
                                          config={"displaylogo": False, "responsive": True})),
                    html.Div(source_note(sales, ["report_figures"] if sales.empty else None),
                             id="alcohol-source"),
                ],
                className="tv-card",
            ),
            html.Div(
                [
                    html.Button("Download shown data (CSV)", id="alcohol-download-button",
                                className="tv-button"),
                    dcc.Download(id="alcohol-download"),
                    html.Div(share_link_component("alcohol-share-link", PATH,
                                                  {"measure": shown, "geo": place}),
                             id="alcohol-share"),
                ],
                className="tv-actions",
            ),
        ],
        className="tv-page",
    )

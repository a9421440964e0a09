"""Substances: US overdose death rates by drug class, and Bergen's trend-panel direction signals."""
import dash
from dash import dcc, html

from dash_app import figures, queries
from dash_app.components import source_note, unavailable_notice
from dash_app.components.notes import share_link_component
from dash_app.state import choose_many, choose_one

dash.register_page(__name__, path="/substances", name="Substances", order=1,
                   title="trendvakt · Substances",
                   description="US overdose death rates by drug class and Bergen's trend-panel signals")

PATH = "/substances"
DEFAULT_SUBSTANCES = ("heroin", "psychostimulants", "cocaine")
DEFAULT_GEO = "municip_nor4601"


def view_params(substances, geo) -> dict:
    return {"substances": substances or [], "geo": geo}


def layout(substances=None, geo=None, **_ignored):
    try:
        choices = queries.available_substances()
        places = queries.signal_geographies()
        selected = choose_many(substances, choices["substance_id"], DEFAULT_SUBSTANCES)
        place = choose_one(geo, places["geo_code"], DEFAULT_GEO)
        rates = queries.death_rates(selected)
        signals = queries.trend_signals([place] if place else [])
    except queries.WarehouseUnavailable as exc:
        return html.Main(unavailable_notice(exc), className="tv-page")

    return html.Main(
        [
            html.H1("Substances"),
            html.P(
                "Long-term trends by drug class. Top: deaths from drug overdoses per 100,000 people in "
                "the United States (CDC WONDER). Bottom: what the trend panel in Bergen and the regional "
                "rapid-survey respondents reported about use, availability and price (direction only).",
                className="tv-lead",
            ),
            html.Section(
                [
                    html.Label("Substances (US death rates)", htmlFor="substances-checklist",
                               className="tv-label"),
                    dcc.Checklist(
                        id="substances-checklist",
                        options=[{"label": f" {r.substance_name_en}", "value": r.substance_id}
                                 for r in choices.itertuples()],
                        value=selected,
                        inline=True,
                        className="tv-checklist",
                    ),
                    dcc.Loading(dcc.Graph(id="substances-rates-graph",
                                          figure=figures.death_rate_figure(rates, selected),
                                          config={"displaylogo": False, "responsive": True})),
                    html.Div(source_note(rates, ["cdc_wonder"] if rates.empty else None),
                             id="substances-rates-source"),
                ],
                className="tv-card",
            ),
            html.Section(
                [
                    html.Label("Place (trend signals)", htmlFor="substances-geo", className="tv-label"),
                    dcc.Dropdown(
                        id="substances-geo",
                        options=[{"label": f"{r.geo_name} ({r.n_signals} signals)", "value": r.geo_code}
                                 for r in places.itertuples()],
                        value=place,
                        clearable=False,
                        className="tv-dropdown",
                    ),
                    dcc.Loading(dcc.Graph(id="substances-signals-graph",
                                          figure=figures.signals_figure(signals),
                                          config={"displaylogo": False, "responsive": True})),
                    html.P(
                        "Each bar is the period a signal covers; ▲ increase, ▼ decrease, ◆ stable; "
                        "bigger markers for strong changes (±2). Hover a marker for the wording in the "
                        "source (Norwegian).",
                        className="tv-hint",
                    ),
                    html.Div(source_note(signals, ["trend_panel"] if signals.empty else None),
                             id="substances-signals-source"),
                ],
                className="tv-card",
            ),
            html.Div(
                [
                    html.Button("Download shown data (CSV)", id="substances-download-button",
                                className="tv-button"),
                    dcc.Download(id="substances-download"),
                    html.Div(share_link_component("substances-share-link", PATH,
                                                  view_params(selected, place)),
                             id="substances-share"),
                ],
                className="tv-actions",
            ),
        ],
        className="tv-page",
    )

"""Callbacks of every view, registered on one app instance by `register_callbacks(app)`.

They are not declared with the global `dash.callback` inside page modules: Dash re-executes page
modules each time an app is created, so global callbacks would be registered twice in a process
that creates two apps (tests do).
"""
from __future__ import annotations

import pandas as pd
from dash import Dash, Input, Output, State, dcc, no_update

from dash_app import figures, queries
from dash_app.components import source_note, unavailable_notice
from dash_app.components.notes import share_link
from dash_app.views import survey_details

SUBSTANCES_PATH = "/substances"
ALCOHOL_PATH = "/alcohol"
SURVEY_PATH = "/survey-rounds"


def _unavailable_figure(exc: Exception):
    return figures.empty_figure(f"The warehouse is not available. {exc}")


def register_callbacks(app: Dash) -> None:
    # ---------------------------------------------------------------- Substances
    @app.callback(
        Output("substances-rates-graph", "figure"),
        Output("substances-rates-source", "children"),
        Input("substances-checklist", "value"),
        prevent_initial_call=True,
    )
    def update_death_rates(substances):
        try:
            choices = queries.available_substances()["substance_id"].tolist()
            selected = [s for s in choices if s in set(substances or [])]
            rates = queries.death_rates(selected)
        except queries.WarehouseUnavailable as exc:
            return _unavailable_figure(exc), unavailable_notice(exc)
        return (figures.death_rate_figure(rates, selected),
                source_note(rates, ["cdc_wonder"] if rates.empty else None))

    @app.callback(
        Output("substances-signals-graph", "figure"),
        Output("substances-signals-source", "children"),
        Input("substances-geo", "value"),
        prevent_initial_call=True,
    )
    def update_signals(geo_code):
        try:
            signals = queries.trend_signals([geo_code] if geo_code else [])
        except queries.WarehouseUnavailable as exc:
            return _unavailable_figure(exc), unavailable_notice(exc)
        return figures.signals_figure(signals), source_note(signals, ["trend_panel"] if signals.empty else None)

    @app.callback(
        Output("substances-share-link", "href"),
        Output("substances-share-link", "children"),
        Input("substances-checklist", "value"),
        Input("substances-geo", "value"),
        prevent_initial_call=True,
    )
    def update_substances_link(substances, geo_code):
        return share_link(SUBSTANCES_PATH, {"substances": substances or [], "geo": geo_code})

    @app.callback(
        Output("substances-download", "data"),
        Input("substances-download-button", "n_clicks"),
        State("substances-checklist", "value"),
        State("substances-geo", "value"),
        prevent_initial_call=True,
    )
    def download_substances(n_clicks, substances, geo_code):
        if not n_clicks:
            return no_update
        rates = queries.death_rates(substances or [])
        signals = queries.trend_signals([geo_code] if geo_code else [])
        frame = pd.concat(
            [rates.assign(record="death_rate"),
             signals.rename(columns={"direction": "value"}).assign(record="trend_signal")],
            ignore_index=True,
        )
        return dcc.send_data_frame(frame.to_csv, "trendvakt_substances.csv", index=False)

    # ---------------------------------------------------------------- Alcohol
    @app.callback(
        Output("alcohol-graph", "figure"),
        Output("alcohol-source", "children"),
        Input("alcohol-measure", "value"),
        Input("alcohol-geo", "value"),
        prevent_initial_call=True,
    )
    def update_alcohol(measure, geo_code):
        try:
            sales = queries.alcohol_sales(geo_code)
        except queries.WarehouseUnavailable as exc:
            return _unavailable_figure(exc), unavailable_notice(exc)
        return (figures.alcohol_figure(sales, measure or "litres"),
                source_note(sales, ["report_figures"] if sales.empty else None))

    @app.callback(
        Output("alcohol-share-link", "href"),
        Output("alcohol-share-link", "children"),
        Input("alcohol-measure", "value"),
        Input("alcohol-geo", "value"),
        prevent_initial_call=True,
    )
    def update_alcohol_link(measure, geo_code):
        return share_link(ALCOHOL_PATH, {"measure": measure, "geo": geo_code})

    @app.callback(
        Output("alcohol-download", "data"),
        Input("alcohol-download-button", "n_clicks"),
        State("alcohol-geo", "value"),
        prevent_initial_call=True,
    )
    def download_alcohol(n_clicks, geo_code):
        if not n_clicks:
            return no_update
        return dcc.send_data_frame(queries.alcohol_sales(geo_code).to_csv, "trendvakt_alcohol.csv",
                                   index=False)

    # ---------------------------------------------------------------- Survey rounds
    @app.callback(
        Output("survey-graph", "figure"),
        Output("survey-details", "children"),
        Input("survey-level", "value"),
        prevent_initial_call=True,
    )
    def update_survey(geo_level):
        try:
            rows = queries.survey_rounds(geo_level)
        except queries.WarehouseUnavailable as exc:
            return _unavailable_figure(exc), unavailable_notice(exc)
        return figures.survey_figure(rows, geo_level), survey_details(rows, geo_level)

    @app.callback(
        Output("survey-share-link", "href"),
        Output("survey-share-link", "children"),
        Input("survey-level", "value"),
        prevent_initial_call=True,
    )
    def update_survey_link(geo_level):
        return share_link(SURVEY_PATH, {"level": geo_level})

    @app.callback(
        Output("survey-download", "data"),
        Input("survey-download-button", "n_clicks"),
        State("survey-level", "value"),
        prevent_initial_call=True,
    )
    def download_survey(n_clicks, geo_level):
        if not n_clicks:
            return no_update
        return dcc.send_data_frame(queries.survey_rounds(geo_level).to_csv, "trendvakt_survey_rounds.csv",
                                   index=False)

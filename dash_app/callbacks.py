"""Callbacks of every view, registered on one app instance by `register_callbacks(app)`.

They are not declared with the global `dash.callback` inside page modules: Dash re-executes page
modules each time an app is created, so global callbacks would be registered twice in a process
that creates two apps (tests do).

Every callback re-validates its inputs against the marts (render.*_state), turns an unreadable or
not-yet-published warehouse into a notice, and takes the language from the page's `<page>-lang` store.
"""
from __future__ import annotations

import pandas as pd
from dash import Dash, Input, Output, State, dcc, no_update

from dash_app import figures, i18n, queries, render
from dash_app.components import source_note, unavailable_notice
from dash_app.components.notes import share_link
from dash_app.components.page import events_on, safe_events
from dash_app.figures_series import relevant_events
from dash_app.views import survey_details

SUBSTANCES_PATH = "/substances"
OVERDOSES_PATH = "/overdoses"
ALCOHOL_PATH = "/alcohol"
SURVEY_PATH = "/survey-rounds"
EXPLORER_PATH = "/explorer"
QUALITY_PATH = "/quality"
SOURCES_PATH = "/sources"


def _unavailable_figure(exc: Exception, lang: str = "en"):
    if isinstance(exc, queries.NotYetPublished):
        return figures.empty_figure(i18n.t("not_published", lang, view=exc.view))
    return figures.empty_figure(f"The warehouse is not available. {exc}")


def _events(value) -> bool:
    return bool(value) if isinstance(value, list) else events_on(value)


def register_callbacks(app: Dash) -> None:
    # ---------------------------------------------------------------- shell: navigation and language
    @app.callback(
        Output("tv-header", "children"),
        Output("tv-footer", "children"),
        Input("_pages_location", "pathname"),
        Input("_pages_location", "search"),
    )
    def update_header(pathname, search):
        from dash import html

        from dash_app.app import navbar_children
        from urllib.parse import parse_qs

        lang = i18n.lang_of(parse_qs((search or "").lstrip("?")).get("lang"))
        return navbar_children(pathname, search), html.P(i18n.t("footer", lang))

    # ---------------------------------------------------------------- Substances
    @app.callback(
        Output("substances-graph", "figure"),
        Output("substances-source", "children"),
        Output("substances-note", "children"),
        Output("substances-checklist", "options"),
        Output("substances-checklist", "value"),
        Output("substances-base", "options"),
        Output("substances-base", "value"),
        Output("substances-share-link", "href"),
        Output("substances-share-link", "children"),
        Input("substances-geo", "value"),
        Input("substances-checklist", "value"),
        Input("substances-measure", "value"),
        Input("substances-base", "value"),
        Input("substances-panel", "value"),
        Input("substances-events", "value"),
        State("substances-lang", "data"),
        prevent_initial_call=True,
    )
    def update_substances(geo, substances, measure, base, panel, events, lang):
        lang = i18n.lang_of(lang)
        show = _events(events)
        try:
            state = render.substances_state(geo, substances or [], measure, base, panel)
            fig, sources, note, info = render.substances_output(state, lang, show)
        except queries.WarehouseUnavailable as exc:
            return (_unavailable_figure(exc, lang), unavailable_notice(exc, lang), "", no_update, no_update,
                    no_update, no_update, no_update, no_update)
        href, text = share_link(SUBSTANCES_PATH, {
            "geo": state["geo"], "substances": state["substances"], "measure": state["measure"],
            "base": state["base"], "panel": state["panel"], "events": None if show else "off", "lang": lang})
        return (fig, sources, note, render.substance_options(state, lang), state["substances"],
                [{"label": str(y), "value": y} for y in state["years"]], info["base_year"] or state["base"],
                href, text)

    @app.callback(
        Output("substances-download", "data"),
        Input("substances-download-button", "n_clicks"),
        State("substances-geo", "value"),
        State("substances-checklist", "value"),
        State("substances-measure", "value"),
        State("substances-panel", "value"),
        prevent_initial_call=True,
    )
    def download_substances(n_clicks, geo, substances, measure, panel):
        if not n_clicks:
            return no_update
        state = render.substances_state(geo, substances or [], measure, None, panel)
        rows = state["deaths"][state["deaths"]["substance_id"].isin(state["substances"])]
        signals = queries.trend_signals([state["panel"]] if state["panel"] else [])
        frame = pd.concat([rows.assign(record="deaths"),
                           signals.rename(columns={"direction": "value"}).assign(record="trend_signal")],
                          ignore_index=True)
        return dcc.send_data_frame(frame.to_csv, "trendvakt_substances.csv", index=False)

    # ---------------------------------------------------------------- Overdoses
    @app.callback(
        Output("overdoses-graph", "figure"),
        Output("overdoses-source", "children"),
        Output("overdoses-table-box", "children"),
        Output("overdoses-share-link", "href"),
        Output("overdoses-share-link", "children"),
        Input("overdoses-geo", "value"),
        Input("overdoses-mode", "value"),
        Input("overdoses-events", "value"),
        State("overdoses-lang", "data"),
        prevent_initial_call=True,
    )
    def update_overdoses(geos, mode, events, lang):
        lang = i18n.lang_of(lang)
        show = _events(events)
        try:
            state = render.overdose_state(geos or [], mode)
            fig, sources, tbl = render.overdose_output(state, lang, show)
        except queries.WarehouseUnavailable as exc:
            return _unavailable_figure(exc, lang), unavailable_notice(exc, lang), "", no_update, no_update
        href, text = share_link(OVERDOSES_PATH, {"geo": state["geos"], "mode": state["mode"],
                                                 "events": None if show else "off", "lang": lang})
        return fig, sources, tbl, href, text

    @app.callback(
        Output("overdoses-download", "data"),
        Input("overdoses-download-button", "n_clicks"),
        State("overdoses-geo", "value"),
        prevent_initial_call=True,
    )
    def download_overdoses(n_clicks, geos):
        if not n_clicks:
            return no_update
        state = render.overdose_state(geos or [], None)
        return dcc.send_data_frame(queries.overdose(state["geos"]).to_csv, "trendvakt_overdoses.csv", index=False)

    # ---------------------------------------------------------------- Alcohol
    @app.callback(
        Output("alcohol-graph", "figure"),
        Output("alcohol-source", "children"),
        Output("alcohol-measure", "options"),
        Output("alcohol-share-link", "href"),
        Output("alcohol-share-link", "children"),
        Input("alcohol-measure", "value"),
        Input("alcohol-geo", "value"),
        Input("alcohol-events", "value"),
        State("alcohol-lang", "data"),
        prevent_initial_call=True,
    )
    def update_alcohol(measure, geo_code, events, lang):
        from dash_app.render import alcohol_measure_options, alcohol_render

        lang = i18n.lang_of(lang)
        show = _events(events)
        try:
            places = queries.alcohol_geographies()
            geo_code = geo_code if geo_code in set(places["geo_code"]) else None
            fig, sources, offered, shown = alcohol_render(geo_code, measure, lang, show)
        except queries.WarehouseUnavailable as exc:
            return _unavailable_figure(exc, lang), unavailable_notice(exc, lang), no_update, no_update, no_update
        href, text = share_link(ALCOHOL_PATH, {"measure": shown, "geo": geo_code,
                                               "events": None if show else "off", "lang": lang})
        return fig, sources, alcohol_measure_options(offered, lang), href, text

    @app.callback(
        Output("alcohol-download", "data"),
        Input("alcohol-download-button", "n_clicks"),
        State("alcohol-geo", "value"),
        prevent_initial_call=True,
    )
    def download_alcohol(n_clicks, geo_code):
        if not n_clicks:
            return no_update
        places = set(queries.alcohol_geographies()["geo_code"])
        return dcc.send_data_frame(queries.alcohol_sales(geo_code if geo_code in places else None).to_csv,
                                   "trendvakt_alcohol.csv", index=False)

    # ---------------------------------------------------------------- Survey rounds
    @app.callback(
        Output("survey-graph", "figure"),
        Output("survey-details", "children"),
        Output("survey-share-link", "href"),
        Output("survey-share-link", "children"),
        Input("survey-level", "value"),
        State("survey-lang", "data"),
        prevent_initial_call=True,
    )
    def update_survey(geo_level, lang):
        lang = i18n.lang_of(lang)
        try:
            levels = set(queries.survey_levels()["geo_level"])
            geo_level = geo_level if geo_level in levels else "nation"
            rows = queries.survey_rounds(geo_level)
        except queries.WarehouseUnavailable as exc:
            return _unavailable_figure(exc, lang), unavailable_notice(exc, lang), no_update, no_update
        href, text = share_link(SURVEY_PATH, {"level": geo_level, "lang": lang})
        return figures.survey_figure(rows, geo_level, lang), survey_details(rows, geo_level, lang), href, text

    @app.callback(
        Output("survey-download", "data"),
        Input("survey-download-button", "n_clicks"),
        State("survey-level", "value"),
        prevent_initial_call=True,
    )
    def download_survey(n_clicks, geo_level):
        if not n_clicks:
            return no_update
        levels = set(queries.survey_levels()["geo_level"])
        return dcc.send_data_frame(queries.survey_rounds(geo_level if geo_level in levels else None).to_csv,
                                   "trendvakt_survey_rounds.csv", index=False)

    # ---------------------------------------------------------------- Explorer
    @app.callback(
        Output("explorer-geo", "options"),
        Output("explorer-geo", "value"),
        Output("explorer-series", "options"),
        Output("explorer-series", "value"),
        Output("explorer-ptype", "options"),
        Output("explorer-ptype", "value"),
        Output("explorer-from", "options"),
        Output("explorer-from", "value"),
        Output("explorer-to", "options"),
        Output("explorer-to", "value"),
        Input("explorer-indicator", "value"),
        State("explorer-geo", "value"),
        State("explorer-series", "value"),
        State("explorer-lang", "data"),
        prevent_initial_call=True,
    )
    def update_explorer_controls(indicator, geos, series, lang):
        from dash_app.render import explorer_controls

        lang = i18n.lang_of(lang)
        try:
            state = render.explorer_state(indicator, geos or [], series)
            c = explorer_controls(state, lang, queries.names())
        except queries.WarehouseUnavailable:
            return (no_update,) * 10
        return (c["geo_options"], state["geos"], c["series_options"], state["series"], c["ptype_options"],
                state["ptype"], c["year_options"], state["start"], c["year_options"], state["end"])

    @app.callback(
        Output("explorer-graph", "figure"),
        Output("explorer-source", "children"),
        Output("explorer-table-box", "children"),
        Output("explorer-notes", "children"),
        Output("explorer-share-link", "href"),
        Output("explorer-share-link", "children"),
        Input("explorer-indicator", "value"),
        Input("explorer-geo", "value"),
        Input("explorer-series", "value"),
        Input("explorer-ptype", "value"),
        Input("explorer-from", "value"),
        Input("explorer-to", "value"),
        Input("explorer-events", "value"),
        State("explorer-lang", "data"),
        prevent_initial_call=True,
    )
    def update_explorer(indicator, geos, series, ptype, start, end, events, lang):
        lang = i18n.lang_of(lang)
        show = _events(events)
        try:
            state = render.explorer_state(indicator, geos or [], series, ptype, start, end)
            fig, sources, tbl, notes = render.explorer_output(state, lang, show)
        except queries.WarehouseUnavailable as exc:
            return _unavailable_figure(exc, lang), unavailable_notice(exc, lang), "", "", no_update, no_update
        href, text = share_link(EXPLORER_PATH, explorer_params(state, show, lang))
        return fig, sources, tbl, notes, href, text

    @app.callback(
        Output("explorer-download", "data"),
        Input("explorer-download-button", "n_clicks"),
        State("explorer-indicator", "value"),
        State("explorer-geo", "value"),
        State("explorer-series", "value"),
        State("explorer-ptype", "value"),
        State("explorer-from", "value"),
        State("explorer-to", "value"),
        State("explorer-lang", "data"),
        prevent_initial_call=True,
    )
    def download_explorer(n_clicks, indicator, geos, series, ptype, start, end, lang):
        from dash_app.panels import csv_with_header

        if not n_clicks:
            return no_update
        lang = i18n.lang_of(lang)
        state = render.explorer_state(indicator, geos or [], series, ptype, start, end)
        rows = render.explorer_rows(state)
        meta = queries.indicator_metadata(state["indicator"]) if state["indicator"] else {}
        text = csv_with_header(rows, meta, explorer_params(state, True, lang), lang)
        return {"content": text, "filename": f"trendvakt_{state['indicator'] or 'explorer'}.csv",
                "type": "text/csv"}

    # ---------------------------------------------------------------- Data quality
    @app.callback(
        Output("quality-sections", "children"),
        Output("quality-share-link", "href"),
        Output("quality-share-link", "children"),
        Input("quality-source", "value"),
        State("quality-lang", "data"),
        prevent_initial_call=True,
    )
    def update_quality(source, lang):
        lang = i18n.lang_of(lang)
        try:
            known = {"all", *queries.sources()["source_id"]}
            source = source if source in known else "all"
            sections = render.quality_sections(source, lang)
        except queries.WarehouseUnavailable as exc:
            return unavailable_notice(exc, lang), no_update, no_update
        href, text = share_link(QUALITY_PATH, {"source": None if source == "all" else source, "lang": lang})
        return sections, href, text

    # ---------------------------------------------------------------- Sources
    @app.callback(
        Output("sources-graph", "figure"),
        Output("sources-table-box", "children"),
        Output("sources-share-link", "href"),
        Output("sources-share-link", "children"),
        Input("sources-sort", "value"),
        State("sources-lang", "data"),
        prevent_initial_call=True,
    )
    def update_sources(sort, lang):
        lang = i18n.lang_of(lang)
        sort = sort if sort in render.SOURCE_SORTS else "source_id"
        try:
            fig, tbl = render.sources_output(sort, lang)
        except queries.WarehouseUnavailable as exc:
            return _unavailable_figure(exc, lang), unavailable_notice(exc, lang), no_update, no_update
        href, text = share_link(SOURCES_PATH, {"sort": sort, "lang": lang})
        return fig, tbl, href, text


def explorer_params(state: dict, show_events: bool, lang: str) -> dict:
    return {"indicator": state["indicator"], "geo": state["geos"], "series": state["series"], "ptype": state["ptype"],
            "from": state["start"], "to": state["end"], "events": None if show_events else "off", "lang": lang}


__all__ = ["register_callbacks", "relevant_events", "safe_events", "source_note"]

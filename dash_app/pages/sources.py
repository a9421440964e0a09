"""Sources: the catalogue with publisher, citation, licence and coverage."""
import pandas as pd
from dash import dcc, html, Input, no_update, Output, State

from dash_app import i18n, queries
from dash_app.components.notes import share_link, unavailable_notice
from dash_app.components.page import (
    actions,
    chart_tabs,
    control,
    GRAPH_CONFIG,
    page,
    unavailable_figure,
    unavailable_page,
    values_table,
)
from dash_app.components.series import format_number, with_caption
from dash_app.components.tables import table
from dash_app.i18n import t
from dash_app.state import choose_one

PATH = "/sources"
NAV = "nav.sources"
PREFIX = "sources"  # component ids of this view start with "sources-"


SORT_LABELS = {"source_id": ("Kilde-id", "Source id"), "first_period": ("Første periode", "First period"),
               "n_observations": ("Flest observasjoner", "Most observations")}


def layout(sort=None, lang=None, **_ignored):
    lang = i18n.lang_of(lang)
    t = i18n.t
    chosen = choose_one(sort, SOURCE_SORTS, "source_id")
    try:
        fig, tbl = sources_output(chosen, lang)
        values = sources_values(chosen, lang)
    except queries.WarehouseUnavailable as exc:
        return unavailable_page(exc, lang, "sources", t("src.title", lang))
    li = 0 if lang == "nb" else 1
    return page(
        [
            html.H1(t("src.title", lang)),
            html.P(t("src.lead", lang), className="tv-lead"),
            html.Section([
                html.Div(control("Sorter" if lang == "nb" else "Sort", dcc.RadioItems(
                    id="sources-sort", value=chosen, inline=True, className="tv-radio",
                    options=[{"label": " " + SORT_LABELS[s][li], "value": s} for s in SOURCE_SORTS])),
                    className="tv-controls"),
                chart_tabs("sources", dcc.Loading(dcc.Graph(id="sources-graph", figure=fig, config=GRAPH_CONFIG)),
                           html.Div(values, id="sources-values-box"), lang),
                html.P(t("source", lang) + ": " + SOURCE_LINE[0 if lang == "nb" else 1] + ".", className="tv-source"),
                html.Div(tbl, id="sources-table-box"),
            ], className="tv-card"),
            actions("sources", PATH, {"sort": chosen}, lang, download=False),
        ],
        lang, "sources",
    )


SOURCE_SORTS = ("source_id", "first_period", "n_observations")
SOURCE_LINE = ("trendvakts kildekatalog og publiserte observasjoner", "trendvakt's source catalogue and published "
               "observations")
VALUE_HEADERS = (("Kilde", "Source"), ("Utgiver", "Publisher"), ("Første periode", "First period"),
                 ("Siste periode", "Last period"), ("Observasjoner", "Observations"), ("Indikatorer", "Indicators"))


def sorted_coverage(sort: str) -> pd.DataFrame:
    cov = queries.source_coverage()
    return cov.sort_values(sort, ascending=sort != "n_observations", na_position="last").reset_index(drop=True)


def sources_values(sort: str, lang: str):
    """The coverage chart's values as a table, in the chart's order and the page language."""
    li = 0 if lang == "nb" else 1
    day = lambda v: "" if pd.isna(v) else f"{pd.Timestamp(v):%Y-%m-%d}"  # noqa: E731
    rows = [[str(r.source_id), "" if pd.isna(r.publisher) else str(r.publisher), day(r.first_period),
             day(r.last_period), format_number(r.n_observations, lang, 0), format_number(r.n_indicators, lang, 0)]
            for r in sorted_coverage(sort).itertuples()]
    return values_table(rows, [h[li] for h in VALUE_HEADERS], "sources-values", caption=t("src.coverage", lang))


def sources_output(sort: str, lang: str):
    import plotly.graph_objects as go

    from dash_app.components.theme import SERIES_COLOURS, base_layout

    cov = sorted_coverage(sort)
    dated = cov[cov["first_period"].notna()]
    fig = go.Figure()
    for i, r in enumerate(dated.itertuples()):
        fig.add_trace(go.Scatter(
            x=[r.first_period, r.last_period], y=[r.source_id, r.source_id], mode="lines+markers",
            line=dict(color=SERIES_COLOURS[i % len(SERIES_COLOURS)], width=10),
            marker=dict(symbol=["line-ns", "line-ns"], size=14, line=dict(width=2)), showlegend=False,
            hovertext=f"<b>{r.source_id}</b><br>{r.publisher}<br>{pd.Timestamp(r.first_period):%Y-%m-%d} – "
                      f"{pd.Timestamp(r.last_period):%Y-%m-%d}<br>{format_number(r.n_observations, lang, 0)} obs.",
            hoverinfo="text", name=r.source_id))
    fig.update_layout(**base_layout(
        title=dict(text=t("src.coverage", lang)), height=120 + 34 * max(1, len(dated)),
        margin=dict(l=150, r=20, t=60, b=40), xaxis=dict(type="date"),
        yaxis=dict(categoryorder="array", categoryarray=list(reversed(dated["source_id"].tolist())))))
    with_caption(fig, SOURCE_LINE[0 if lang == "nb" else 1], None, lang)
    cov = cov.assign(coverage=[
        "" if pd.isna(a) else f"{pd.Timestamp(a):%Y-%m-%d} – {pd.Timestamp(b):%Y-%m-%d}"
        for a, b in zip(cov["first_period"], cov["last_period"])])
    cols = [("source_id", "id"), ("publisher", t("src.publisher", lang)), ("title", "title"),
            ("citation", t("src.citation", lang)), ("licence", t("src.licence", lang)),
            ("coverage", t("src.coverage", lang)), ("n_observations", t("src.n", lang)),
            ("n_indicators", t("src.indicators", lang)), ("url", "url")]

    return fig, table(cov, cols, "sources-table", lang=lang)


def register(app) -> None:
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
        sort = sort if sort in SOURCE_SORTS else "source_id"
        try:
            fig, tbl = sources_output(sort, lang)
        except queries.WarehouseUnavailable as exc:
            return unavailable_figure(exc, lang), unavailable_notice(exc, lang), no_update, no_update
        href, text = share_link(PATH, {"sort": sort, "lang": lang})
        return fig, tbl, href, text

    @app.callback(
        Output("sources-values-box", "children"),
        Input("sources-sort", "value"),
        State("sources-lang", "data"),
        prevent_initial_call=True,
    )
    def update_sources_values(sort, lang):
        lang = i18n.lang_of(lang)
        try:
            return sources_values(sort if sort in SOURCE_SORTS else "source_id", lang)
        except queries.WarehouseUnavailable as exc:
            return unavailable_notice(exc, lang)

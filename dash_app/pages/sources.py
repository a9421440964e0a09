"""Sources: the catalogue with publisher, citation, licence and coverage."""
import dash
from dash import dcc, html

from dash_app import i18n, queries, render
from dash_app.components.page import GRAPH_CONFIG, actions, control, page, unavailable_page
from dash_app.state import choose_one

dash.register_page(__name__, path="/sources", name="Sources", order=7, title="trendvakt · Sources",
                   description="The source catalogue with coverage")

PATH = "/sources"
SORT_LABELS = {"source_id": ("Kilde-id", "Source id"), "first_period": ("Første periode", "First period"),
               "n_observations": ("Flest observasjoner", "Most observations")}


def layout(sort=None, lang=None, **_ignored):
    lang = i18n.lang_of(lang)
    t = i18n.t
    chosen = choose_one(sort, render.SOURCE_SORTS, "source_id")
    try:
        fig, tbl = render.sources_output(chosen, lang)
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
                    options=[{"label": " " + SORT_LABELS[s][li], "value": s} for s in render.SOURCE_SORTS])),
                    className="tv-controls"),
                dcc.Loading(dcc.Graph(id="sources-graph", figure=fig, config=GRAPH_CONFIG)),
                html.P(t("source", lang) + ": publish.sources, publish.observations.", className="tv-source"),
                html.Div(tbl, id="sources-table-box"),
            ], className="tv-card"),
            actions("sources", PATH, {"sort": chosen}, lang, download=False),
        ],
        lang, "sources",
    )

"""Survey rounds: KoRus rapid survey 2021, national and by region; shares with Wilson intervals, n always shown."""
import dash
from dash import dcc, html

from dash_app import figures, i18n, queries
from dash_app.components.page import GRAPH_CONFIG, actions, control, page, unavailable_page
from dash_app.state import choose_one
from dash_app.views import survey_details

dash.register_page(__name__, path="/survey-rounds", name="Survey rounds", order=4,
                   title="trendvakt · Survey rounds",
                   description="KoRus rapid survey rounds 2021: shares with 95% intervals")

PATH = "/survey-rounds"


def layout(level=None, lang=None, **_ignored):
    lang = i18n.lang_of(lang)
    t = i18n.t
    try:
        levels = queries.survey_levels()
        chosen = choose_one(level, levels["geo_level"], "nation")
        rows = queries.survey_rounds(chosen)
    except queries.WarehouseUnavailable as exc:
        return unavailable_page(exc, lang, "survey", t("sv.title", lang))
    return page(
        [
            html.H1(t("sv.title", lang)),
            html.P(t("sv.lead", lang), className="tv-lead"),
            html.Section(
                [
                    html.Div(control(t("sv.level", lang), dcc.Dropdown(
                        id="survey-level", clearable=False, className="tv-dropdown", value=chosen,
                        options=[{"label": t(f"sv.{r.geo_level}", lang) if r.geo_level in ("nation", "georegion")
                                  else r.geo_level.title(), "value": r.geo_level} for r in levels.itertuples()])),
                        className="tv-controls"),
                    dcc.Loading(dcc.Graph(id="survey-graph", figure=figures.survey_figure(rows, chosen, lang),
                                          config=GRAPH_CONFIG)),
                    html.Div(survey_details(rows, chosen, lang), id="survey-details"),
                ],
                className="tv-card",
            ),
            actions("survey", PATH, {"level": chosen}, lang),
        ],
        lang, "survey",
    )

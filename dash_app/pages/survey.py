"""Survey rounds: KoRus rapid survey weeks 4 and 6 of 2021, shares with Wilson intervals."""
import dash
from dash import dcc, html

from dash_app import figures, queries
from dash_app.components import unavailable_notice
from dash_app.components.notes import share_link_component
from dash_app.state import choose_one
from dash_app.views import survey_details

dash.register_page(__name__, path="/survey-rounds", name="Survey rounds", order=3,
                   title="trendvakt · Survey rounds",
                   description="KoRus rapid survey rounds 2021: shares with 95% intervals")

PATH = "/survey-rounds"
LEVEL_LABELS = {"nation": "Whole country", "georegion": "Regions (landsdeler)"}


def layout(level=None, **_ignored):
    try:
        levels = queries.survey_levels()
        chosen = choose_one(level, levels["geo_level"], "nation")
        rows = queries.survey_rounds(chosen)
    except queries.WarehouseUnavailable as exc:
        return html.Main(unavailable_notice(exc), className="tv-page")

    return html.Main(
        [
            html.H1("Survey rounds"),
            html.P(
                "KoRus asked municipal services in 2021 what they saw in the local drug scene during "
                "the covid-19 restrictions. Whole country: each dot is the share of respondents "
                "answering yes with its 95% interval (Wilson), n in every label. Regions: only counts "
                "were published.",
                className="tv-lead",
            ),
            html.Section(
                [
                    html.Label("Geography", htmlFor="survey-level", className="tv-label"),
                    dcc.Dropdown(
                        id="survey-level",
                        options=[{"label": LEVEL_LABELS.get(r.geo_level, r.geo_level.title()),
                                  "value": r.geo_level} for r in levels.itertuples()],
                        value=chosen, clearable=False, className="tv-dropdown",
                    ),
                    dcc.Loading(dcc.Graph(id="survey-graph", figure=figures.survey_figure(rows, chosen),
                                          config={"displaylogo": False, "responsive": True})),
                    html.Div(survey_details(rows, chosen), id="survey-details"),
                ],
                className="tv-card",
            ),
            html.Div(
                [
                    html.Button("Download shown data (CSV)", id="survey-download-button",
                                className="tv-button"),
                    dcc.Download(id="survey-download"),
                    html.Div(share_link_component("survey-share-link", PATH, {"level": chosen}),
                             id="survey-share"),
                ],
                className="tv-actions",
            ),
        ],
        className="tv-page",
    )

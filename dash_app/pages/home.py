"""Home: a short index of the views."""
import dash
from dash import dcc, html

dash.register_page(__name__, path="/", name="Overview", order=0, title="trendvakt",
                   description="Trend indicators for drug and alcohol monitoring in Norway")

VIEWS = [
    ("/substances", "Substances",
     "US overdose death rates by drug class 1999–2020, next to the direction signals of Bergen's "
     "trend panel and the 2021 regional survey."),
    ("/alcohol", "Alcohol", "On-premise alcohol sales in Bergen by beverage group, in litres or as shares."),
    ("/survey-rounds", "Survey rounds",
     "The KoRus rapid survey of 2021 (weeks 4 and 6): shares with 95% intervals, counts by region."),
]


def layout(**_ignored):
    return html.Main(
        [
            html.H1("trendvakt"),
            html.P("Trend indicators for drug and alcohol monitoring in Norway. Every chart names its "
                   "source; every view can be shared as a link and downloaded as CSV.", className="tv-lead"),
            html.Div(
                [
                    html.Div([html.H2(dcc.Link(name, href=href)), html.P(text)], className="tv-card tv-index")
                    for href, name, text in VIEWS
                ],
                className="tv-index-grid",
            ),
        ],
        className="tv-page",
    )

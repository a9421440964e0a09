"""The shared chart kit (dash_app/components): line styles, palette contrast, geography-scoped events,
event labels off the data, modebar config and the caption burned into the PNG. Figures are built
from small frames; no warehouse."""
import pandas as pd
import pytest

from dash_app.components import theme
from dash_app.components.page import GRAPH_CONFIG
from dash_app.components.series import (
    format_number,
    prepare,
    relevant_events,
    series_figure,
    style,
    with_caption,
)


def frame(n_series=3, provisional=True):
    rows = []
    for s in range(n_series):
        for year in range(2015, 2023):
            rows.append({"sid": f"s{s}", "period_start": pd.Timestamp(f"{year}-01-01"),
                         "period_end": pd.Timestamp(f"{year}-12-31"), "period_type": "year",
                         "value": 10.0 + s + year % 3, "is_provisional": provisional and year == 2022})
    return prepare(pd.DataFrame(rows), series_col="sid", label_fn=lambda r: r["sid"])


EVENTS = pd.DataFrame({
    "event_date": pd.to_datetime(["2016-12-23", "2020-01-01", "2020-03-12"]),
    "event_id": ["bergen_injection_room_opens", "municipal_reform_2020", "covid_shutdown"],
    "label_nb": ["Sprøyterom åpner i Bergen", "Kommunereformen", "Koronanedstengning i Norge"],
    "label_en": ["Bergen's safe injection room opens", "Municipal reform", "Covid-19 shutdown in Norway"],
    "geo_code": ["municip_nor4601", "nation_nor", "nation_nor"],
})


# (6a) a dotted line always means "provisional"
def test_series_dashes_never_use_the_provisional_dash():
    assert theme.PROVISIONAL_DASH not in theme.SERIES_DASHES
    assert all(style(i)["dash"] != theme.PROVISIONAL_DASH for i in range(24))
    fig = series_figure(frame(4), lang="en", title="t", y_title="y")
    final = [tr for tr in fig.data if tr.line.dash and "provisional" not in (tr.name or "").lower()
             and tr.x and tr.x[0] is not None and len(tr.x) == 7]
    provisional = [tr for tr in fig.data if tr.line.dash == theme.PROVISIONAL_DASH and tr.x and tr.x[0] is not None]
    assert len(final) == 4 and len(provisional) == 4  # third series included
    assert {tr.line.dash for tr in final}.isdisjoint({theme.PROVISIONAL_DASH})


def contrast_on_white(colour: str) -> float:
    """WCAG 2.x contrast ratio of `colour` against #FFFFFF."""
    h = colour.lstrip("#")
    channels = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


# (9b) every colour that draws data has at least 3:1 contrast on the white background
@pytest.mark.parametrize("group", ["SERIES_COLOURS", "ROUND_COLOURS", "DIRECTION_COLOURS"])
def test_data_colours_have_three_to_one_contrast(group):
    colours = getattr(theme, group)
    colours = list(colours.values()) if isinstance(colours, dict) else list(colours)
    assert colours
    low = {c: round(contrast_on_white(c), 2) for c in colours if contrast_on_white(c) < 3.0}
    assert not low, f"{group} below 3:1 on white: {low}"
    assert len(set(colours)) == len(colours)


def test_contrast_formula_matches_known_values():
    assert contrast_on_white("#000000") == pytest.approx(21.0)
    assert contrast_on_white("#E69F00") < 3.0  # Okabe-Ito orange, the reason for the change
    assert theme.base_layout()["plot_bgcolor"].upper() == "#FFFFFF"


# (6b) events only on the charts of the places they concern
def test_bergen_event_not_on_us_chart_and_national_events_on_their_places():
    assert relevant_events(EVENTS, ["nation_usa"]).empty
    assert list(relevant_events(EVENTS, ["municip_nor4601"])["event_id"]) == list(EVENTS["event_id"])
    assert list(relevant_events(EVENTS, ["nation_nor"])["event_id"]) == ["municipal_reform_2020", "covid_shutdown"]
    assert list(relevant_events(EVENTS, ["municip_nor0301"])["event_id"]) == ["municipal_reform_2020",
                                                                                "covid_shutdown"]


def test_series_figure_draws_only_the_events_of_its_places():
    us = series_figure(frame(), lang="en", title="t", y_title="y", events=EVENTS, geo_codes=["nation_usa"])
    assert not us.layout.shapes and not [a for a in us.layout.annotations if a.name == "event"]
    bergen = series_figure(frame(), lang="en", title="t", y_title="y", events=EVENTS, geo_codes=["municip_nor4601"])
    assert len(bergen.layout.shapes) == 3


# (6b) event labels sit above the plot area, never over data points, and not over each other
def test_event_labels_sit_in_a_band_above_the_plot():
    fig = series_figure(frame(), lang="nb", title="t", y_title="y", events=EVENTS, geo_codes=["municip_nor4601"])
    labels = [a for a in fig.layout.annotations if a.hovertext]
    assert len(labels) == 3
    for a in labels:
        assert a.yref == "paper" and a.y >= 1 and a.yanchor == "bottom" and a.textangle in (None, 0)
    assert len({a.yshift for a in labels}) == 3  # one lane each
    top_label = max(a.yshift for a in labels) + 17
    assert fig.layout.margin.t >= top_label  # the band fits into the top margin
    assert fig.layout.legend.y > 1  # the legend above the band


# (9c) no upload to a cloud service from the modebar; the PNG button stays
def test_graph_config_has_no_cloud_upload():
    assert GRAPH_CONFIG["showSendToCloud"] is False
    assert GRAPH_CONFIG["showEditInChartStudio"] is False
    assert GRAPH_CONFIG["showLink"] is False
    assert "sendDataToCloud" in GRAPH_CONFIG["modeBarButtonsToRemove"]
    assert "toImage" not in GRAPH_CONFIG.get("modeBarButtonsToRemove", [])
    assert GRAPH_CONFIG["toImageButtonOptions"]["format"] == "png"
    assert GRAPH_CONFIG["toImageButtonOptions"]["filename"] == "trendvakt"


# PNG download: title, source and date burned into the figure
def test_with_caption_burns_source_and_date_into_the_figure():
    fig = series_figure(frame(), lang="nb", title="Overdosedødsfall", y_title="y",
                        source_text="Kilde: Folkehelseinstituttet.", date="2026-12-03")
    captions = [a for a in fig.layout.annotations if a.name == "caption"]
    assert len(captions) == 1
    text = captions[0].text
    assert "Kilde: Folkehelseinstituttet" in text and "2026-12-03" in text and "Kilde: Kilde" not in text
    assert captions[0].yref == "paper" and captions[0].y <= 0 and captions[0].yanchor == "top"
    assert fig.layout.title.text == "Overdosedødsfall"
    assert fig.layout.margin.b > 50
    en = with_caption(series_figure(frame(), lang="en", title="x", y_title="y"), "Source: CDC", "2026-01-02", "en")
    assert "Source: CDC" in en.layout.annotations[-1].text and "2026-01-02" in en.layout.annotations[-1].text


def test_format_number_in_the_page_language():
    assert format_number(12345.6, "nb", 1) == "12\u00a0345,6"
    assert format_number(12345.6, "en", 1) == "12,345.6"
    assert format_number(4468468, "nb") == "4\u00a0468\u00a0468"
    assert format_number(3.25, "en", 2) == "3.25" and format_number(3.25, "nb", 2) == "3,25"
    assert format_number(None, "nb") == "–"


# (6b) the Alcohol view draws its year-axis events with the kit: labels above the panels
def test_alcohol_events_sit_above_the_panels():
    from dash_app.pages.alcohol import alcohol_figure

    sales = pd.DataFrame([{"geo_name": "Bergen", "year": y, "substance_id": sid, "beverage_name_nb": sid,
                           "beverage_name_en": sid, "litres": 1000.0 * y, "share_of_total_pct": 50.0,
                           "change_from_previous_pct": 1.0} for y in range(2014, 2022) for sid in ("beer", "wine")])
    events = pd.DataFrame({"event_date": pd.to_datetime(["2016-12-23", "2020-03-12"]), "event_id": ["a", "b"],
                           "label_nb": ["Sprøyterom åpner i Bergen", "Koronanedstengning i Norge"],
                           "label_en": ["Injection room", "Covid-19"], "geo_code": ["municip_nor4601", "nation_nor"]})
    for measure in ("litres", "share"):
        fig = alcohol_figure(sales, measure, "nb", events)
        labels = [a for a in fig.layout.annotations if a.name == "event"]
        assert len(labels) == 2 and len(fig.layout.shapes) == 2
        assert all(a.yref == "paper" and a.y >= 1 and a.yanchor == "bottom" for a in labels)
        assert len({a.yshift for a in labels}) == 2

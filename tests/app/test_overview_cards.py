"""Overview cards (issue 11, problems 3b and 6c and the card sparkline): each card names and defines
its indicator, shows the data period and the load time apart (dates in words), headlines the
latest complete period and shows a newer provisional or partial one as such."""
from __future__ import annotations

import json
import re

import pytest

from tests.app.support import visible_text, warehouse_copy
from tests.app.test_callbacks import render_page


def _card(text: str, card_id: str) -> dict:
    """The card component with this id from the rendered layout (JSON text)."""
    def walk(node):
        if isinstance(node, dict):
            if node.get("props", {}).get("id") == card_id:
                return node
            return walk(node.get("props", {}).get("children"))
        if isinstance(node, list):
            for child in node:
                found = walk(child)
                if found:
                    return found
        return None
    card = walk(json.loads(text))
    assert card is not None, card_id
    return card


@pytest.fixture(scope="module")
def provisional_warehouse(app_warehouse, tmp_path_factory):
    """The test warehouse with a newer, provisional 2022 value (99) of Norway's drug-dependence deaths."""
    return warehouse_copy(app_warehouse, tmp_path_factory, "provisional", [
        "create or replace table publish.indicator_series_copy as select * from publish.indicator_series",
        """
            insert into publish.indicator_series_copy
            select * replace (date '2022-01-01' as period_start, date '2022-12-31' as period_end, 2022 as year,
                              99.0 as value, true as is_provisional)
            from publish.indicator_series
            where indicator_id = 'drug_dependence_deaths' and geo_code = 'nation_nor' and sex = 'all'
              and age_group = 'all' and year = 2021""",
        "drop view publish.indicator_series",
        "alter table publish.indicator_series_copy rename to indicator_series",
    ])


def test_drug_dependence_card_names_and_defines_its_measure(client):
    """3b: "Norway 18" is Eurostat's drug-dependence deaths (ICD-10 F11-F16, F18-F19), not the overdose toll."""
    for lang, name, narrower in (("en", "Deaths from drug dependence (TOXICO)", "not the national overdose toll"),
                                 ("nb", "Dødsfall, narkotikaavhengighet (TOXICO)", "ikke landets overdosetall")):
        words = visible_text(_card(render_page(client, "/", f"?lang={lang}"), "card-drug_dependence_deaths-nation_nor"))
        assert name in words and "ICD-10 F11–F16, F18–F19" in words and narrower in words, (lang, words)


def test_data_period_and_load_time_apart_invisible_text(client):
    """6c: not "0 days ago" for data of 2015, but "data up to 2015" and "loaded 3 Dec 2026" (nb "3. des. 2026")."""
    en = visible_text(_card(render_page(client, "/", "?lang=en"), "card-overdose_deaths_residents-municip_nor4601"))
    assert "days ago" not in en
    assert "Data period" in en and "data up to 2015" in en
    assert "Load time" in en and re.search(r"loaded \d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}",
                                           en), en
    nb = visible_text(_card(render_page(client, "/", "?lang=nb"), "card-overdose_deaths_residents-municip_nor4601"))
    assert "dager siden" not in nb and "data til og med 2015" in nb
    assert re.search(r"lastet \d{1,2}\. (jan\.|feb\.|mar\.|apr\.|mai|jun\.|jul\.|aug\.|sep\.|okt\.|nov\.|des\.) \d{4}",
                     nb), nb


def test_partial_latest_year_is_not_the_headline(client):
    """Tempe's 2024 covers January-September only: the headline is 2023, 2024 is shown as incomplete."""
    card = _card(render_page(client, "/", "?lang=en"), "card-naloxone_given_callouts-city_usa_tempe")
    words = visible_text(card)
    assert re.search(r"\d+\s+callouts\s+\(2023\)", words), words  # the headline's period
    assert not re.search(r"\d+\s+callouts\s+\(2024\)", words), words
    assert "2024 so far (incomplete period, provisional)" in words and "data up to 2024-09" in words


def test_provisional_latest_year_is_shown_as_such(client, monkeypatch, provisional_warehouse):
    monkeypatch.setenv("TRENDVAKT_WAREHOUSE", str(provisional_warehouse))
    words = visible_text(_card(render_page(client, "/", "?lang=en"), "card-drug_dependence_deaths-nation_nor"))
    assert re.search(r"18\s+deaths\s+\(2021\)", words), words
    assert "Newer, provisional figure: 2022: 99" in words and "data up to 2022" in words


def test_card_sparkline_draws_bounds_as_a_band(client):
    """Bergen's overdose deaths 2012-2014 are published as a range 31-36: the sparkline shades them."""
    card = json.dumps(_card(render_page(client, "/", "?lang=en"), "card-overdose_deaths_residents-municip_nor4601"))
    src = re.search(r'"src": "(data:image/svg\+xml[^"]+)"', card)
    assert src, card[:500]
    from urllib.parse import unquote

    svg = unquote(src.group(1))
    assert svg.count('class="band"') >= 3 and "<polyline" in svg or "<circle" in svg
    assert '"alt": "Small chart: Overdose deaths, residents' in card

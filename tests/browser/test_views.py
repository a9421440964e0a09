"""End-to-end: the real app in a subprocess, opened in headless Chromium (/usr/bin/chromium).

Set TRENDVAKT_SCREENSHOT_DIR to keep one full-page screenshot per view.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

VIEWS = [
    ("/", "overview", None, "Overview"),
    ("/substances", "substances", "#substances-graph", "Substances"),
    ("/overdoses", "overdoses", None, "Overdoses"),
    ("/alcohol", "alcohol", "#alcohol-graph", "Alcohol"),
    ("/survey-rounds", "survey", "#survey-graph", "Survey rounds"),
    ("/explorer", "explorer", "#explorer-graph", "Explorer"),
    ("/quality", "quality", None, "Data quality"),
    ("/sources", "sources", "#sources-graph", "Sources"),
]
TRACE_PATHS = ".scatterlayer .trace path, .barlayer .trace path"


def wait_for_chart(page, graph: str) -> None:
    page.wait_for_selector(f"{graph} .js-plotly-plot .main-svg", timeout=30_000)
    page.wait_for_function(
        "sel => document.querySelectorAll(sel).length > 0",
        arg=f"{graph} .scatterlayer .trace path, {graph} .barlayer .trace path",
        timeout=30_000,
    )


def wait_for_rendered(page) -> None:
    """A view's heading is shown, no callback is pending and every chart on it has been drawn (views
    without a chart, or whose chart says the data is unavailable, count once their svg is there)."""
    page.wait_for_selector(".tv-page h1", timeout=30_000)
    page.wait_for_function(
        """() => !document.querySelector('[data-dash-is-loading="true"]')
              && Array.from(document.querySelectorAll('.tv-chart'))
                      .every(box => box.querySelector('.js-plotly-plot .main-svg'))""",
        timeout=30_000)


def screenshot(page, name: str) -> None:
    folder = os.environ.get("TRENDVAKT_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def legend_names(page, graph: str) -> list[str]:
    return page.locator(f"{graph} .legend .legendtext").evaluate_all("els => els.map(e => e.textContent)")


def graph_title(page, graph: str) -> str:
    return page.locator(f"{graph} .gtitle, {graph} .annotation-text").evaluate_all(
        "els => els.map(e => e.textContent).join(' | ')")


@pytest.mark.parametrize("path, name, graph, heading", VIEWS)
def test_view_is_reachable_from_the_navigation_and_renders(app_server, page, path, name, graph, heading):
    page.goto(app_server + "/?lang=en")
    nav_id = "#nav-" + (path.strip("/") or "home")
    # the first layout carries the default language's links; a callback then redraws the bar with
    # ?lang=en: clicking before that (a busy machine) would open the Norwegian view
    page.wait_for_selector(f"{nav_id}[href$='lang=en']", timeout=30_000)
    page.locator(nav_id).click()
    page.wait_for_function("h => document.querySelector('.tv-page h1')?.textContent === h", arg=heading,
                           timeout=30_000)
    assert page.url.endswith(f"{path}?lang=en")
    if graph:
        wait_for_chart(page, graph)
        assert page.locator(".tv-source").first.inner_text().startswith("Source")
    assert page.locator(".tv-nav a.tv-navlink").count() == 8
    assert "Traceback" not in page.content()
    assert not page.js_errors, page.js_errors
    page.wait_for_timeout(300)
    screenshot(page, name)


def test_substances_change_a_substance_changes_the_chart(app_server, page):
    page.goto(app_server + "/substances?lang=en")
    graph = "#substances-graph"
    wait_for_chart(page, graph)
    before = legend_names(page, graph)
    assert "Heroin" in before and "Antidepressants" not in before
    page.locator("#substances-checklist label", has_text="Antidepressants").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('#substances-graph .legend .legendtext')]"
        ".some(e => e.textContent === 'Antidepressants')", timeout=20_000)
    assert "antidepressants" in page.locator("#substances-share-link").get_attribute("href")
    # events toggle removes the event lines
    assert page.locator(f"{graph} .shapelayer path").count() > 0
    page.locator("#substances-events label").click()
    page.wait_for_function("() => document.querySelectorAll('#substances-graph .shapelayer path').length === 0",
                           timeout=20_000)
    assert "events=off" in page.locator("#substances-share-link").get_attribute("href")
    assert not page.js_errors, page.js_errors


def test_alcohol_measure_changes_the_chart(app_server, page):
    page.goto(app_server + "/alcohol?lang=en")
    wait_for_chart(page, "#alcohol-graph")
    assert page.locator("#alcohol-graph .barlayer .trace").count() == 0
    page.locator("#alcohol-measure label", has_text="Share of total litres").click()
    page.wait_for_selector("#alcohol-graph .barlayer .trace", timeout=20_000)
    assert "measure=share" in page.locator("#alcohol-share-link").get_attribute("href")


def test_survey_regions_say_shares_cannot_be_computed(app_server, page):
    page.goto(app_server + "/survey-rounds?lang=en")
    wait_for_chart(page, "#survey-graph")
    page.locator("#survey-level").click()
    page.get_by_text("Regions (landsdeler)").last.click()
    page.wait_for_selector("#survey-no-shares-note", timeout=20_000)
    wait_for_chart(page, "#survey-graph")
    assert "level=georegion" in page.locator("#survey-share-link").get_attribute("href")


def test_overdoses_control_or_notice(app_server, page):
    page.goto(app_server + "/overdoses?lang=en")
    page.wait_for_selector(".tv-page h1")
    if page.locator(".tv-not-published").count():
        assert "not yet published" in page.locator(".tv-not-published").first.inner_text()
        return
    wait_for_chart(page, "#overdoses-graph")
    before = page.locator("#overdoses-graph .gtitle, #overdoses-graph .annotation-text").all_inner_texts()
    page.locator("#overdoses-mode label", has_text="Callouts per death").click()
    page.wait_for_function("() => document.querySelector('#overdoses-share-link').href.includes('mode=ratio')",
                           timeout=20_000)
    after = page.locator("#overdoses-graph .gtitle, #overdoses-graph .annotation-text").all_inner_texts()
    assert after != before


def test_overdoses_table_tab_reads_the_bounds_in_words_and_reaches_the_address_bar(app_server, page):
    page.goto(app_server + "/overdoses?geo=municip_nor4601&lang=nb")
    wait_for_chart(page, "#overdoses-graph")
    page.locator("#overdoses-tabs .tab", has_text="Tabell").click()
    page.wait_for_selector("#overdose-table", timeout=20_000)
    page.wait_for_function("() => location.search.includes('tab=table')", timeout=20_000)
    text = page.locator("#overdose-table").inner_text()
    assert "under 30" in text and "31–36" in text and "29" not in text
    assert page.locator("#overdose-table th").all_inner_texts()[:2] == ["Sted", "År"]
    page.reload()
    page.wait_for_selector("#overdose-table", timeout=30_000)  # the reload opens the table tab again
    assert not page.js_errors, page.js_errors


def test_explorer_change_indicator_and_download_csv_with_metadata(app_server, page, tmp_path):
    page.goto(app_server + "/explorer?lang=en")
    graph = "#explorer-graph"
    wait_for_chart(page, graph)
    title_before = graph_title(page, graph)
    page.locator("#explorer-indicator").click()
    page.keyboard.type("Drug-related deaths (NRS")
    page.get_by_text("Drug-related deaths (NRS definition) (drug_related_deaths_nrs)").last.click()
    page.wait_for_function(
        "() => document.querySelector('#explorer-share-link').href.includes('indicator=drug_related_deaths_nrs')",
        timeout=30_000)
    wait_for_chart(page, graph)
    assert graph_title(page, graph) != title_before
    with page.expect_download(timeout=30_000) as info:
        page.locator("#explorer-download-button").click()
    target = tmp_path / "explorer.csv"
    info.value.save_as(target)
    lines = target.read_text(encoding="utf-8-sig").splitlines()  # written with a BOM for Excel
    header = [ln for ln in lines if ln.startswith("# ")]
    for key in ("definition:", "unit:", "source:", "citation:", "licence:", "vintage:", "suppression rule:"):
        assert any(ln.startswith("# " + key) for ln in header), key
    assert "National Records of Scotland" in "\n".join(header)
    assert lines[len(header)].startswith("Indicator ID,")
    assert any("drug_related_deaths_nrs" in ln for ln in lines[len(header) + 1:])


def test_quality_and_sources_controls(app_server, page):
    page.goto(app_server + "/sources?lang=en")
    wait_for_chart(page, "#sources-graph")
    page.locator("#sources-sort label", has_text="Most observations").click()
    page.wait_for_function("() => document.querySelector('#sources-share-link').href.includes('sort=n_observations')",
                           timeout=20_000)
    page.goto(app_server + "/quality?lang=en")
    page.wait_for_selector("#quality-source")
    page.locator("#quality-source").click()
    page.get_by_text("(CDC VSRR)", exact=False).last.click()  # sources by publisher and title, not by id
    page.wait_for_function("() => document.querySelector('#quality-share-link').href.includes('source=cdc_vsrr')",
                           timeout=20_000)
    assert not page.js_errors, page.js_errors


def test_language_switch(app_server, page):
    page.goto(app_server + "/substances?geo=nation_usa&measure=rate")
    wait_for_chart(page, "#substances-graph")
    assert page.locator(".tv-page h1").inner_text() == "Rusmidler"
    assert page.locator("#lang-switch").inner_text() == "English"
    page.locator("#lang-switch").click()
    page.wait_for_function("() => document.querySelector('.tv-page h1').textContent === 'Substances'", timeout=20_000)
    assert "lang=en" in page.url and "measure=rate" in page.url  # the view's state survives the switch
    assert page.locator("#nav-quality").inner_text() == "Data quality"
    wait_for_chart(page, "#substances-graph")
    assert page.locator(".tv-source").first.inner_text().startswith("Source")


def test_shared_link_restores_the_state(app_server, page):
    page.goto(app_server + "/explorer?indicator=drug_related_deaths_nrs&geo=nation_sco&from=2000&to=2010&lang=en")
    wait_for_chart(page, "#explorer-graph")
    href = page.locator("#explorer-share-link").get_attribute("href")
    assert "indicator=drug_related_deaths_nrs" in href and "from=2000" in href and "to=2010" in href
    assert "2000" in page.locator("#explorer-from").inner_text()
    page.locator("#explorer-tabs .tab", has_text="Table").click()  # the table is the chart's Table tab
    page.locator("#explorer-table tbody tr").first.wait_for()
    rows = page.locator("#explorer-table tbody tr").count()
    assert rows == 11
    page.goto(app_server + "/substances?geo=nation_usa&substances=heroin,cocaine&measure=index&base=2016&lang=en")
    wait_for_chart(page, "#substances-graph")
    assert sorted(n for n in legend_names(page, "#substances-graph") if n in ("Heroin", "Cocaine", "Opioids")) == [
        "Cocaine", "Heroin"]
    assert page.locator("#substances-measure input[value=index]").is_checked()


def test_phone_width_has_no_horizontal_scroll(app_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        page = context.new_page()
        for path in ("/", "/substances", "/explorer", "/quality"):
            page.goto(app_server + path + "?lang=en")
            page.wait_for_selector(".tv-page h1")
            page.wait_for_timeout(500)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= 400, (path, width)
    finally:
        context.close()

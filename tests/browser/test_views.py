"""End-to-end: the real app in a subprocess, opened in Chromium.

Set TRENDVAKT_SCREENSHOT_DIR to keep one full-page screenshot per view.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

VIEWS = [
    ("/substances", "substances", "#substances-rates-graph"),
    ("/alcohol", "alcohol", "#alcohol-graph"),
    ("/survey-rounds", "survey", "#survey-graph"),
]
TRACE_PATHS = ".scatterlayer .trace path, .barlayer .trace path"


def wait_for_chart(page, graph: str) -> None:
    page.wait_for_selector(f"{graph} .js-plotly-plot .main-svg", timeout=30_000)
    page.wait_for_function(
        "sel => document.querySelectorAll(sel).length > 0",
        arg=f"{graph} .scatterlayer .trace path, {graph} .barlayer .trace path",
        timeout=30_000,
    )


def screenshot(page, name: str) -> None:
    folder = os.environ.get("TRENDVAKT_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("path, name, graph", VIEWS)
def test_view_renders_a_chart(app_server, page, path, name, graph):
    page.goto(app_server + path)
    wait_for_chart(page, graph)
    assert page.locator(f"{graph} .js-plotly-plot .main-svg").count() >= 1
    assert page.locator(f"{graph} :is({TRACE_PATHS})").count() >= 1
    assert page.locator(".tv-source").first.inner_text().startswith("Source")
    assert page.locator(".tv-nav a").count() >= 4
    assert not page.js_errors, page.js_errors
    page.wait_for_timeout(500)
    screenshot(page, name)


def legend_names(page, graph: str) -> list[str]:
    return page.locator(f"{graph} .legend .legendtext").evaluate_all("els => els.map(e => e.textContent)")


def test_changing_a_substance_changes_the_chart(app_server, page):
    page.goto(app_server + "/substances")
    graph = "#substances-rates-graph"
    wait_for_chart(page, graph)
    before = legend_names(page, graph)
    assert "Heroin" in before and "Antidepressants" not in before
    page.locator("#substances-checklist label", has_text="Antidepressants").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('#substances-rates-graph .legend .legendtext')]"
        ".some(e => e.textContent === 'Antidepressants')",
        timeout=20_000,
    )
    after = legend_names(page, graph)
    assert len(after) == len(before) + 1
    link = page.locator("#substances-share-link").get_attribute("href")
    assert "antidepressants" in link
    assert not page.js_errors, page.js_errors


def test_survey_regions_say_shares_cannot_be_computed(app_server, page):
    page.goto(app_server + "/survey-rounds")
    wait_for_chart(page, "#survey-graph")
    page.locator("#survey-level").click()
    page.get_by_text("Regions (landsdeler)").last.click()
    page.wait_for_selector("#survey-no-shares-note", timeout=20_000)
    wait_for_chart(page, "#survey-graph")
    assert page.locator("#survey-graph .barlayer .trace").count() == 5
    screenshot(page, "survey_regions")


def test_shared_link_restores_the_view(app_server, page):
    page.goto(app_server + "/alcohol?measure=share")
    wait_for_chart(page, "#alcohol-graph")
    assert page.locator("#alcohol-graph .barlayer .trace").count() == 3
    assert page.locator("#alcohol-measure input[value=share]").is_checked()

"""In Chromium: the Alcohol view's Table tab shows the chart's values in the page language and follows
the measure; the modebar keeps the PNG button and offers no cloud upload."""
from tests.browser.test_views import wait_for_chart


def test_alcohol_table_tab_and_modebar(app_server, page):
    page.goto(app_server + "/alcohol?geo=municip_nor4601&lang=nb")
    wait_for_chart(page, "#alcohol-graph")
    page.locator("#alcohol-graph").hover()
    assert page.locator("#alcohol-graph .modebar-btn[data-title*='png' i]").count() == 1
    assert page.locator("#alcohol-graph .modebar-btn[data-title*='Chart Studio' i], "
                        "#alcohol-graph .modebar-btn[data-title*='cloud' i]").count() == 0
    page.locator("#alcohol-measure label", has_text="Andel av totale liter").click()
    page.wait_for_function("() => (document.querySelector('#alcohol-share-link')||{}).href"
                           " && document.querySelector('#alcohol-share-link').href.includes('measure=share')",
                           timeout=20_000)
    page.get_by_text("Tabell", exact=True).click()
    page.wait_for_selector("#alcohol-table", timeout=20_000)
    page.wait_for_function("() => document.querySelector('#alcohol-table').innerText.includes('88,2')",
                           timeout=20_000)
    assert "Andel av totale liter (%)" in page.locator("#alcohol-table thead").inner_text()
    assert not page.js_errors, page.js_errors

"""Issue 11 (6, 8): every view on a 390 px phone screen, in both languages, without horizontal scroll,
with chart titles, legends and event labels inside the chart, and no table cell broken mid-word; on the
phone and at 1280 px, no chart text (title, legend, panel title, event label, caption) drawn over another.

Measured before: the page was 408 px wide on Substances, 547 on Explorer, 739 on Alcohol and 768 on
Overdoses; the survey chart gave its questions a 290 px margin; legends and titles ran out of the
chart (clipped by its box, so no scroll bar but half a word)."""
from __future__ import annotations

import pytest

from tests.app.test_callbacks import PAGES
from tests.browser.test_views import wait_for_rendered

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

# Every chart text a reader must see whole: the title, legend entries, panel titles and event
# labels (annotations), each against the box of the chart that holds it.
OUTSIDE = """() => {
    const out = [];
    for (const graph of document.querySelectorAll('.js-plotly-plot')) {
        const box = graph.getBoundingClientRect();
        const texts = graph.querySelectorAll('.gtitle, .legendtext, .annotation-text, .g-xtitle text, .g-ytitle text');
        for (const el of texts) {
            const r = el.getBoundingClientRect();
            if (!el.textContent.trim() || r.width === 0) { continue; }
            if (r.left < box.left - 1 || r.right > box.right + 1) {
                out.push(`${el.textContent.trim().slice(0, 60)} (${Math.round(r.left - box.left)}..` +
                         `${Math.round(r.right - box.left)} of ${Math.round(box.width)} px)`);
            }
        }
    }
    return out;
}"""

# Chart texts drawn over each other: the legend as one box, each annotation (panel title, event label,
# caption, note) and the title as boxes of their own; two boxes that share more than 2 px both ways.
OVERLAPS = """() => {
    const out = [];
    for (const graph of document.querySelectorAll('.js-plotly-plot')) {
        const boxes = [];
        const add = (el, what) => {
            const r = el.getBoundingClientRect();
            if (r.width > 0 && r.height > 0 && el.textContent.trim()) {
                boxes.push({r, what: `${what} «${el.textContent.trim().slice(0, 40)}»`});
            }
        };
        graph.querySelectorAll('.legend .scrollbox').forEach(el => add(el, 'legend'));
        graph.querySelectorAll('.gtitle').forEach(el => add(el, 'title'));
        graph.querySelectorAll('.annotation-text-g').forEach(el => add(el, 'annotation'));
        for (let i = 0; i < boxes.length; i++) {
            for (let j = i + 1; j < boxes.length; j++) {
                const a = boxes[i].r, b = boxes[j].r;
                const dx = Math.min(a.right, b.right) - Math.max(a.left, b.left);
                const dy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
                if (dx > 2 && dy > 2) { out.push(`${boxes[i].what} over ${boxes[j].what}`); }
            }
        }
    }
    return out;
}"""

# A cell whose words were broken apart: its text is wider than the cell (no wrap possible) while the
# table is not inside a scrolling wrapper.
BROKEN_CELLS = """() => [...document.querySelectorAll('.tv-table td, .tv-table th')]
    .filter(c => c.scrollWidth > c.clientWidth + 1 && !c.closest('.tv-table-wrap'))
    .map(c => c.textContent.slice(0, 40))"""


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_a_view_fits_a_phone(app_server, page, path, lang):
    page.set_viewport_size(PHONE)
    page.goto(f"{app_server}{path}?lang={lang}")
    wait_for_rendered(page)
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{path} ({lang}) is {width[0]} px wide on a {width[1]} px screen"
    outside = page.evaluate(OUTSIDE)
    assert not outside, f"{path} ({lang}): chart texts run out of their chart: " + "; ".join(outside)
    assert not page.evaluate(BROKEN_CELLS), path
    overlaps = page.evaluate(OVERLAPS)
    assert not overlaps, f"{path} ({lang}) on a phone: " + "; ".join(overlaps)
    assert not page.js_errors, page.js_errors


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_no_chart_text_covers_another_on_a_desktop(app_server, page, path, lang):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{app_server}{path}?lang={lang}")
    wait_for_rendered(page)
    overlaps = page.evaluate(OVERLAPS)
    assert not overlaps, f"{path} ({lang}) at 1280 px: " + "; ".join(overlaps)

"""Issue 11 (1): every control's state is in the address bar. Changing a control changes page.url,
a reload reproduces the controls and the chart, Back/Forward step through the states and the
language switch keeps every control.

Before the shell wrote the share link into `dcc.Location` only the share link changed: page.url
stayed `<path>?lang=nb`, so every assertion on page.url below failed.
"""
from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.browser

# (kind, component id, value to choose, what the address then carries)
STEPS = {
    "/substances": [("radio", "substances-measure", "count", "measure=count"),
                    ("dropdown", "substances-geo", "state_usa_ct", "geo=state_usa_ct"),
                    ("checklist", "substances-checklist", "methadone", "methadone"),
                    ("dropdown", "substances-panel", "georegion_nor1", "panel=georegion_nor1"),
                    ("checklist", "substances-events", "on", "events=off")],
    "/overdoses": [("radio", "overdoses-mode", "rates", "mode=rates"),
                   ("dropdown", "overdoses-geo", "nation_aut", "nation_aut"),
                   ("checklist", "overdoses-events", "on", "events=off")],
    "/alcohol": [("radio", "alcohol-measure", "share", "measure=share"),
                 ("checklist", "alcohol-events", "on", "events=off")],
    "/survey-rounds": [("dropdown", "survey-level", "georegion", "level=georegion")],
    "/explorer": [("dropdown", "explorer-from", "2017", "from=2017"),
                  ("dropdown", "explorer-to", "2020", "to=2020"),
                  ("dropdown", "explorer-geo", "nation_aut", "nation_aut"),
                  ("checklist", "explorer-events", "on", "events=off")],
    "/quality": [("dropdown", "quality-source", "cdc_vsrr", "source=cdc_vsrr")],
    "/sources": [("radio", "sources-sort", "n_observations", "sort=n_observations")],
}

# The state of the view's controls as the page shows it: checked values of radio items and
# checklists, the shown text of dropdowns; and what the charts show (titles and legends).
SNAPSHOT = """ids => {
    const out = {};
    for (const id of ids) {
        const el = document.getElementById(id);
        if (!el) { out[id] = null; continue; }
        const boxes = el.querySelectorAll('input[type=radio], input[type=checkbox]');
        out[id] = el.tagName === 'BUTTON' ? el.innerText.trim()
            : [...boxes].filter(b => b.checked).map(b => b.value);
    }
    // sorted: plotly draws title and legend in another order after an update than on first render
    out.charts = [...document.querySelectorAll('.tv-page .gtitle, .tv-page .legendtext')]
        .map(e => e.textContent).sort().join(' | ');
    out.ready = document.querySelectorAll('.tv-page .js-plotly-plot .main-svg').length > 0
        || !document.querySelector('.tv-page .dash-graph');
    return out;
}"""


def snapshot(page, ids):
    return page.evaluate(SNAPSHOT, ids)


def wait_for_snapshot(page, ids, expected, timeout=30_000):
    # ensure_ascii=False: JSON.stringify writes æøå as they are, so an escaped "\u00f8" would never match
    want = json.dumps(expected, separators=(",", ":"), ensure_ascii=False)
    try:
        page.wait_for_function(f"([ids, want]) => JSON.stringify(({SNAPSHOT})(ids)) === want",
                               arg=[ids, want], timeout=timeout)
    except Exception as exc:  # say what differs, not only that the wait ran out
        now = snapshot(page, ids)
        diff = {k: (expected.get(k), now.get(k)) for k in set(expected) | set(now) if expected.get(k) != now.get(k)}
        raise AssertionError(f"{page.url}: the view never showed the expected state; (expected, shown): {diff}") \
            from exc


def settled(page, ids, written=True):
    """The snapshot once the share link equals the address (the view finished its update and wrote
    it: `written`) and the charts are drawn and no longer change."""
    if written:
        page.wait_for_function(
        "() => { const a = document.querySelector('[id$=-share-link]');"
            " return a && a.getAttribute('href') === location.pathname + location.search; }", timeout=30_000)
    # Dash keeps the attribute on some components (tabs) with the value "false": only "true" is loading.
    page.wait_for_function("() => !document.querySelector('[data-dash-is-loading=\"true\"]')", timeout=30_000)
    page.wait_for_function(f"ids => ({SNAPSHOT})(ids).ready", arg=ids, timeout=30_000)
    first = snapshot(page, ids)
    wait_for_snapshot(page, ids, first)
    return first


def act(page, kind, cid, value):
    if kind == "dropdown":
        page.locator(f"#{cid}").click()
        page.locator(f".dash-dropdown-option:has(input[value='{value}'])").first.click()
        page.keyboard.press("Escape")
    else:
        page.locator(f"#{cid} label:has(input[value='{value}'])").click()


def params(url):
    return {k: v for k, v in parse_qs(urlsplit(url).query).items() if k != "lang"}


CHECKED = tuple(STEPS)


@pytest.mark.parametrize("path", CHECKED)
def test_every_control_is_in_the_address_and_survives_reload_back_forward_and_language(app_server, page, path):
    page.goto(app_server + path + "?lang=nb")
    page.wait_for_selector(".tv-page h1", timeout=30_000)
    assert not page.locator(".tv-empty.tv-not-published").count(), f"{path} is not published in this warehouse"
    ids = sorted({cid for _, cid, _, _ in STEPS[path]})
    states, urls = [settled(page, ids, written=False)], [page.url]
    for kind, cid, value, fragment in STEPS[path]:
        before = page.url
        act(page, kind, cid, value)
        page.wait_for_function("f => location.search.includes(f)", arg=fragment, timeout=30_000)
        assert page.url != before
        states.append(settled(page, ids))
        urls.append(page.url)
        assert states[-1][cid] != states[-2][cid], (cid, states[-1][cid])

    page.reload()
    page.wait_for_selector(".tv-page h1", timeout=30_000)
    assert page.url == urls[-1]
    wait_for_snapshot(page, ids, states[-1])  # the same controls and the same chart

    for i in range(len(urls) - 2, -1, -1):
        page.go_back()
        page.wait_for_function("u => location.href === u", arg=urls[i], timeout=30_000)
        wait_for_snapshot(page, ids, states[i])
    for i in range(1, len(urls)):
        page.go_forward()
        page.wait_for_function("u => location.href === u", arg=urls[i], timeout=30_000)
        wait_for_snapshot(page, ids, states[i])

    # the language switch keeps every control; back in Norwegian the view is exactly as it was
    page.locator("#lang-switch").click()
    page.wait_for_function("() => document.documentElement.lang === 'en' && location.search.includes('lang=en')",
                           timeout=30_000)
    english = settled(page, ids, written=False)
    assert params(page.url) == params(urls[-1])
    for _, cid, _, _ in STEPS[path]:
        if isinstance(states[-1][cid], list):
            assert english[cid] == states[-1][cid], cid
    page.locator("#lang-switch").click()
    page.wait_for_function("() => document.documentElement.lang === 'nb' && location.search.includes('lang=nb')",
                           timeout=30_000)
    wait_for_snapshot(page, ids, states[-1])
    assert params(page.url) == params(urls[-1])
    assert not page.js_errors, page.js_errors

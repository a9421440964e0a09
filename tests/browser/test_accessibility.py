"""Accessibility of every view, checked with axe-core (axe-playwright-python injects the axe bundle
shipped in its wheel, so this runs offline) against the WCAG 2 A/AA rules, in both languages."""
from __future__ import annotations

import pytest

from tests.app.test_callbacks import PAGES
from tests.browser.test_views import wait_for_rendered

pytestmark = pytest.mark.browser

axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")

# The rule sets of WCAG 2.0/2.1 level A and AA; among them html-has-lang, html-lang-valid, label,
# image-alt, aria-input-field-name, button-name, link-name, document-title, color-contrast.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Rules that must be among those run: a renamed or dropped rule in a newer axe would otherwise
# pass silently.
REQUIRED_RULES = {"html-has-lang", "html-lang-valid", "label", "image-alt", "button-name", "link-name",
                  "document-title", "aria-input-field-name", "color-contrast"}


@pytest.fixture(scope="module")
def axe():
    return axe_sync.Axe()


def violations_text(path: str, lang: str, violations: list[dict]) -> str:
    lines = []
    for rule in violations:
        for node in rule["nodes"]:
            lines.append(f"{path}?lang={lang}: {rule['id']} ({rule['impact']}) at {node['target']}: "
                         f"{node.get('failureSummary', '').strip()}")
    return "\n".join(lines)


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_view_has_no_wcag_a_or_aa_violations(app_server, page, axe, path, lang):
    page.goto(f"{app_server}{path}?lang={lang}")
    wait_for_rendered(page)
    # assets/a11y.js corrects Dash's markup in the animation frame after a change: let two pass
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                     "resultTypes": ["violations", "passes", "inapplicable"]})
    response = results.response
    ran = {rule["id"] for key in ("violations", "passes", "inapplicable") for rule in response[key]}
    assert REQUIRED_RULES <= ran, REQUIRED_RULES - ran
    assert not response["violations"], violations_text(path, lang, response["violations"])
    assert page.evaluate("document.documentElement.lang") == lang
    assert not page.js_errors, page.js_errors

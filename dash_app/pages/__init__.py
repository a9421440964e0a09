"""The views, in the order of the navigation bar.

Each module has PATH, NAV (the i18n key of its name), `layout(lang, **url_params)` and
`register(app)` for its callbacks; component ids start with the view's prefix.
"""
from __future__ import annotations

from dash_app.pages import alcohol, explorer, home, overdoses, quality, sources, substances, survey

PAGES = [home, substances, overdoses, alcohol, survey, explorer, quality, sources]


def by_path(path: str):
    path = path.rstrip("/") or "/"
    return next((mod for mod in PAGES if mod.PATH == path), None)

"""The Dash app: `create_app()` builds it; `server` is the Flask server for a WSGI host.

Pages live in dash_app/pages (one module a view, registered with `dash.register_page`); their
callbacks are registered on the app instance by `dash_app.callbacks.register_callbacks`, so creating
the app twice in one process (tests) neither duplicates callbacks nor page paths.
"""
from __future__ import annotations

from pathlib import Path

import dash
from dash import Dash, dcc, html

from dash_app.callbacks import register_callbacks

PACKAGE_DIR = Path(__file__).resolve().parent
PAGES_DIR = PACKAGE_DIR / "pages"


def _navbar() -> html.Header:
    pages = sorted(dash.page_registry.values(), key=lambda p: (p.get("order") is None, p.get("order") or 0))
    return html.Header(
        html.Nav(
            [
                dcc.Link("trendvakt", href="/", className="tv-brand"),
                html.Div(
                    [dcc.Link(p["name"], href=p["relative_path"], className="tv-navlink",
                              id=f"nav-{p['path'].strip('/') or 'home'}")
                     for p in pages if p["path"] != "/"],
                    className="tv-navlinks",
                ),
            ],
            className="tv-nav",
            **{"aria-label": "Views"},
        ),
        className="tv-header",
    )


def create_app() -> Dash:
    app = Dash(
        "dash_app",  # the package name: page modules are registered as dash_app.pages.<name>
        use_pages=True,
        pages_folder=str(PAGES_DIR),
        assets_folder=str(PACKAGE_DIR / "assets"),
        title="trendvakt",
        suppress_callback_exceptions=True,  # page components exist only while their page is shown
        update_title=None,
    )
    app.layout = html.Div(
        [
            _navbar(),
            dash.page_container,
            html.Footer(
                html.P("trendvakt · data from the published warehouse (publish schema); "
                       "every chart names its source."),
                className="tv-footer",
            ),
        ],
        className="tv-shell",
    )
    register_callbacks(app)
    return app


app = create_app()
server = app.server

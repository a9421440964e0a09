"""The Dash app: `create_app()` builds it; `server` is the Flask server for a WSGI host.

Pages live in dash_app/pages (one module a view, registered with `dash.register_page`); their
callbacks are registered on the app instance by `dash_app.callbacks.register_callbacks`, so creating
the app twice in one process (tests) neither duplicates callbacks nor page paths.
"""
from __future__ import annotations

from pathlib import Path

import dash
from dash import Dash, dcc, html

from dash_app import i18n, queries
from dash_app.callbacks import register_callbacks

PACKAGE_DIR = Path(__file__).resolve().parent
PAGES_DIR = PACKAGE_DIR / "pages"


NAV = [("/", "nav.overview"), ("/substances", "nav.substances"), ("/overdoses", "nav.overdoses"),
       ("/alcohol", "nav.alcohol"), ("/survey-rounds", "nav.survey"), ("/explorer", "nav.explorer"),
       ("/quality", "nav.quality"), ("/sources", "nav.sources")]


def navbar_children(pathname: str | None, search: str | None):
    """Brand, one link per view (keeping ?lang=) and the language switch (same view, other language)."""
    from urllib.parse import parse_qs, urlencode

    params = parse_qs((search or "").lstrip("?"), keep_blank_values=False)
    lang = i18n.lang_of(params.get("lang"))
    here = pathname or "/"
    links = [dcc.Link(i18n.t(key, lang), href=f"{path}?lang={lang}",
                      className="tv-navlink tv-navlink-active" if path == here else "tv-navlink",
                      id=f"nav-{path.strip('/') or 'home'}")
             for path, key in NAV]
    switched = {k: v for k, v in params.items() if k != "lang"}
    switched["lang"] = [i18n.other(lang)]
    switch_href = f"{here}?{urlencode(switched, doseq=True, safe=',')}"
    return html.Nav(
        [
            dcc.Link("trendvakt", href=f"/?lang={lang}", className="tv-brand"),
            html.Div(links, className="tv-navlinks"),
            dcc.Link(i18n.t("nav.switch", lang), href=switch_href, id="lang-switch", className="tv-lang",
                     title=i18n.t("nav.switch_title", lang)),
        ],
        className="tv-nav",
        **{"aria-label": "Views"},
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
            html.Header(navbar_children("/", ""), id="tv-header", className="tv-header"),
            dash.page_container,
            html.Footer(html.P(i18n.t("footer", i18n.DEFAULT_LANG)), id="tv-footer", className="tv-footer"),
        ],
        className="tv-shell",
    )
    register_callbacks(app)
    queries.install(app.server)  # one warehouse reader a request, closed at teardown
    return app


app = create_app()
server = app.server

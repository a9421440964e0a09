"""The Dash app: `create_app()` builds it; `server` is the Flask server a WSGI host (gunicorn) serves.

The shell is the header, the page container and the footer. Each view is one module in
dash_app/pages that owns its layout and its callbacks (`register(app)`); this module only routes.

Why our own router instead of `dash.register_page`: Dash's page router re-renders the whole layout
on every change of the query string, so writing the view's state into the address bar (which every
control does here) would rebuild the page on each click. Our router renders a page when the path or
the language changes, or when the address changes by Back/Forward or a link; a query string that a
view itself wrote (remembered in the `route` store) is left alone.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlencode

import flask
from dash import ALL, Dash, dcc, html, Input, no_update, Output, State

from dash_app import i18n, queries
from dash_app.components.page import page, register_address
from dash_app.pages import by_path, PAGES
from dash_app.state import query_params

# Paths Dash and Flask serve themselves; everything else is a view or a 404.
_INTERNAL_PREFIXES = ("/_dash-", "/_reload-hash", "/_favicon", "/assets/", "/_alive", "/api/")


def navbar_children(pathname: str | None, search: str | None):
    """Brand, one link per view (keeping ?lang=) and the language switch (same view, same state)."""
    params = parse_qs((search or "").lstrip("?"), keep_blank_values=False)
    lang = i18n.lang_of(params.get("lang"))
    here = pathname or "/"
    links = [dcc.Link(i18n.t(mod.NAV, lang), href=f"{mod.PATH}?lang={lang}",
                      className="tv-navlink tv-navlink-active" if mod.PATH == here else "tv-navlink",
                      id=f"nav-{mod.PATH.strip('/') or 'home'}")
             for mod in PAGES]
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
        **{"aria-label": i18n.t("nav.label", lang)},
    )


def not_found_layout(lang: str, pathname: str):
    return page([html.H1(i18n.t("404.title", lang)),
                 html.P(i18n.t("404.text", lang, path=pathname)),
                 html.P(dcc.Link(i18n.t("404.home", lang), href=f"/?lang={lang}"))], lang, "notfound")


def title_of(mod, lang: str) -> str:
    return "trendvakt" if mod is None or mod.PATH == "/" else f"trendvakt · {i18n.t(mod.NAV, lang)}"


def render_route(pathname: str | None, search: str | None):
    """(layout, tab title, language) for an address."""
    params = query_params(search)
    lang = i18n.lang_of(params.pop("lang", None))
    mod = by_path(pathname or "/")
    if mod is None:
        return not_found_layout(lang, pathname or ""), i18n.t("404.title", lang) + " · trendvakt", lang
    return mod.layout(lang=lang, **params), title_of(mod, lang), lang


def _index_lang() -> str:
    try:
        return i18n.lang_of(flask.request.args.get("lang"))
    except RuntimeError:  # outside a request
        return i18n.DEFAULT_LANG


class TrendApp(Dash):
    def interpolate_index(self, **kwargs):
        # <html lang> must be right before any script runs (screen readers read it on load).
        text = super().interpolate_index(**kwargs)
        return text.replace("<html>", f'<html lang="{_index_lang()}">', 1)


def create_app() -> Dash:
    app = TrendApp(
        "dash_app",
        assets_folder=str(Path(__file__).resolve().parent / "assets"),
        title="trendvakt",
        suppress_callback_exceptions=True,  # page components exist only while their page is shown
        update_title=None,
    )
    app.layout = html.Div(
        [
            dcc.Location(id="url", refresh=False),
            dcc.Store(id="route"),
            dcc.Store(id="page-meta"),
            html.Header(navbar_children("/", ""), id="tv-header", className="tv-header"),
            html.Div(id="page-content"),
            html.Footer(html.P(i18n.t("footer", i18n.DEFAULT_LANG)), id="tv-footer", className="tv-footer"),
        ],
        className="tv-shell",
    )
    _register_shell(app)
    for mod in PAGES:
        mod.register(app)
        if mod.PATH != "/":  # the Overview has no controls
            register_address(app, mod.PREFIX)
    _serve_404(app)
    queries.install(app.server)  # one warehouse reader a request, closed at teardown
    return app


def _register_shell(app: Dash) -> None:
    @app.callback(
        Output("page-content", "children"),
        Output("route", "data"),
        Output("page-meta", "data"),
        Input("url", "pathname"),
        Input("url", "search"),
        State("route", "data"),
    )
    def route(pathname, search, current):
        here = [pathname or "/", search or ""]
        if current == here:  # the view wrote this address itself: it already shows that state
            return no_update, no_update, no_update
        layout, title, lang = render_route(pathname, search)
        return layout, here, {"title": title, "lang": lang}

    @app.callback(
        Output("url", "search"),
        Output("route", "data", allow_duplicate=True),
        Input({"type": "url-state", "page": ALL}, "data"),
        State("url", "pathname"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def write_address(states, pathname, search):
        wanted = next((s for s in states if s), None)
        if wanted is None or wanted == (search or ""):
            return no_update, no_update
        return wanted, [pathname or "/", wanted]

    @app.callback(
        Output("tv-header", "children"),
        Output("tv-footer", "children"),
        Input("url", "pathname"),
        Input("url", "search"),
    )
    def update_header(pathname, search):
        lang = i18n.lang_of(parse_qs((search or "").lstrip("?")).get("lang"))
        return navbar_children(pathname, search), html.P(i18n.t("footer", lang))

    app.clientside_callback(
        """function (meta) {
            if (meta) { document.title = meta.title; document.documentElement.lang = meta.lang; }
            return window.dash_clientside.no_update;
        }""",
        Output("page-meta", "id"),
        Input("page-meta", "data"),
    )


def _serve_404(app: Dash) -> None:
    """An unknown path answers HTTP 404 (with the app, which shows the not-found page)."""
    known = {mod.PATH for mod in PAGES}

    @app.server.before_request
    def not_found_status():
        path = flask.request.path
        if flask.request.method != "GET" or path in known or path.startswith(_INTERNAL_PREFIXES):
            return None
        return flask.make_response(app.index(), 404)


app = create_app()
server = app.server

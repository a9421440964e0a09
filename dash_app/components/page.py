"""Page scaffolding shared by the views: the language store, the events toggle, notices."""
from __future__ import annotations

from dash import dcc, html

from dash_app import queries
from dash_app.components.notes import share_link_component, unavailable_notice
from dash_app.i18n import t

GRAPH_CONFIG = {"displaylogo": False, "responsive": True,
                "toImageButtonOptions": {"format": "png", "scale": 2}}


def events_on(value) -> bool:
    """`events=off` in the URL hides event annotations; anything else shows them."""
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return str(value or "on").strip().lower() not in ("off", "0", "no", "false")


def events_toggle(prefix: str, on: bool, lang: str):
    return dcc.Checklist(id=f"{prefix}-events", options=[{"label": " " + t("events", lang), "value": "on"}],
                         value=["on"] if on else [], inline=True, className="tv-checklist tv-events-toggle")


def lang_store(prefix: str, lang: str):
    return dcc.Store(id=f"{prefix}-lang", data=lang)


def control(label: str, component, html_for: str | None = None, wide: bool = False):
    return html.Div([html.Label(label, htmlFor=html_for, className="tv-label"), component],
                    className="tv-control tv-control-wide" if wide else "tv-control")


def page(children: list, lang: str, prefix: str):
    return html.Main([lang_store(prefix, lang), *children], className="tv-page", lang=lang)


def unavailable_page(exc: Exception, lang: str, prefix: str, title: str):
    return page([html.H1(title), unavailable_notice(exc, lang)], lang, prefix)


def actions(prefix: str, path: str, params: dict, lang: str, download: bool = True):
    items = []
    if download:
        items += [html.Button(t("download", lang), id=f"{prefix}-download-button", className="tv-button"),
                  dcc.Download(id=f"{prefix}-download")]
    items.append(html.Div(share_link_component(f"{prefix}-share-link", path, {**params, "lang": lang}, lang),
                          id=f"{prefix}-share"))
    return html.Div(items, className="tv-actions")


def safe_events():
    """publish.events, or an empty frame if it cannot be read (annotations are optional)."""
    try:
        return queries.events()
    except queries.WarehouseUnavailable:
        return None

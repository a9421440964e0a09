"""Small layout pieces: source notes under charts, empty-state and error notices, share links."""
from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

import pandas as pd
from dash import dcc, html

from dash_app import queries

def empty_state(message: str, *, title: str = "Nothing to show", component_id: str | None = None):
    kwargs = {"id": component_id} if component_id else {}
    return html.Div(
        [html.Strong(title), html.P(message)], className="tv-empty", role="status", **kwargs
    )


def unavailable_notice(exc: Exception, lang: str = "en"):
    """The friendly message shown instead of a view when the warehouse cannot be read.

    Planners' words first; the exception's text (for whoever runs the server) sits in a closed
    details element. A planned publish view that is not in the warehouse yet gets a "not yet
    published" notice (class tv-not-published) instead."""
    from dash_app.i18n import t

    if isinstance(exc, queries.NotYetPublished):
        return html.Div(
            [html.Strong(t("not_published_title", lang)), html.P(t("not_published", lang, view=exc.view))],
            className="tv-empty tv-not-published", role="status",
        )
    return html.Div(
        [
            html.Strong(t("unavailable_title", lang)),
            html.P(t("unavailable", lang)),
            html.Details([html.Summary(t("technical_detail", lang)), html.P(str(exc), className="tv-muted")],
                         className="tv-details"),
        ],
        className="tv-empty tv-error",
        role="alert",
    )


def _labels(frame: pd.DataFrame | None, source_ids: Iterable[str]) -> dict[str, str]:
    labels: dict[str, str] = {}
    if frame is not None and {"source_id", "source_label"} <= set(frame.columns):
        for sid, label in frame[["source_id", "source_label"]].drop_duplicates().itertuples(index=False):
            if isinstance(sid, str) and isinstance(label, str) and sid not in labels:
                labels[sid] = label
    for sid in source_ids:
        if sid not in labels:
            labels[sid] = queries.source_label(sid) or sid
    return labels


def source_note(frame: pd.DataFrame | None = None, source_ids: Iterable[str] | None = None,
                *, component_id: str | None = None, lang: str = "en"):
    """"Source: ..." line naming every source behind a chart, with licence and link from publish.sources."""
    ids = list(dict.fromkeys(
        list(source_ids or [])
        + ([s for s in frame["source_id"].dropna().unique()] if frame is not None and "source_id" in frame else [])
    ))
    from dash_app.i18n import t

    kwargs = {"id": component_id} if component_id else {}
    if not ids:
        return html.P(t("source_none", lang), className="tv-source", **kwargs)
    ids = [str(i) for i in ids]
    try:
        labels = _labels(frame, ids)
        catalogue = queries.sources(ids).set_index("source_id")
    except queries.WarehouseUnavailable:
        return html.P(t("source_unreadable", lang), className="tv-source", **kwargs)

    parts: list = [t("source" if len(ids) == 1 else "sources", lang) + ": "]
    for i, sid in enumerate(ids):
        if i:
            parts.append("; ")
        label = labels.get(sid, sid)
        extra = []
        if sid in catalogue.index:
            row = catalogue.loc[sid]
            publisher = row.get("publisher")
            if isinstance(publisher, str) and publisher and publisher not in label:
                label = f"{publisher}: {label}"
            if isinstance(row.get("licence"), str) and row["licence"]:
                extra.append(f"{t('licence', lang)}: {row['licence']}")
            url = row.get("url")
            if isinstance(url, str) and url.startswith(("http://", "https://")):
                extra.append(html.A(url, href=url, target="_blank", rel="noopener"))
            elif isinstance(url, str) and url:
                extra.append(t("in_repository", lang, path=url))
        parts.append(label)
        if extra:
            parts.append(" (")
            for j, piece in enumerate(extra):
                if j:
                    parts.append(", ")
                parts.append(piece)
            parts.append(")")
    parts.append(".")
    return html.P(parts, className="tv-source", **kwargs)


def share_link(path: str, params: dict) -> tuple[str, str]:
    """href and visible text of a link that reopens a view in its current state."""
    clean = {k: (",".join(v) if isinstance(v, (list, tuple)) else v) for k, v in params.items() if v}
    href = f"{path}?{urlencode(clean, safe=',')}" if clean else path
    return href, href


def share_link_component(component_id: str, path: str, params: dict, lang: str = "en"):
    from dash_app.i18n import t

    href, text = share_link(path, params)
    return html.P([t("share", lang) + ": ", dcc.Link(text, href=href, id=component_id)], className="tv-share")

"""Data quality: per source the last load, vintage, freshness, rejected files with reasons, failing checks."""
import pandas as pd
from dash import dcc, html, Input, no_update, Output, State

from dash_app import i18n, queries
from dash_app.components.notes import share_link, unavailable_notice
from dash_app.components.page import actions, control, page, unavailable_page
from dash_app.components.status import freshness
from dash_app.components.tables import table
from dash_app.i18n import t
from dash_app.state import choose_one

PATH = "/quality"
NAV = "nav.quality"
PREFIX = "quality"  # component ids of this view start with "quality-"


def layout(source=None, lang=None, **_ignored):
    lang = i18n.lang_of(lang)
    t = i18n.t
    try:
        catalogue = queries.sources()
        chosen = choose_one(source, ["all", *catalogue["source_id"]], "all")
        sections = quality_sections(chosen, lang)
    except queries.WarehouseUnavailable as exc:
        return unavailable_page(exc, lang, "quality", t("dq.title", lang))
    return page(
        [
            html.H1(t("dq.title", lang)),
            html.P(t("dq.lead", lang), className="tv-lead"),
            html.Div(control(t("dq.source", lang), dcc.Dropdown(
                id="quality-source", clearable=False, className="tv-dropdown", value=chosen,
                options=[{"label": "Alle kilder" if lang == "nb" else "All sources", "value": "all"}]
                + [{"label": f"{r.source_id} ({r.publisher})"[:80], "value": r.source_id}
                   for r in catalogue.itertuples()])), className="tv-controls"),
            html.Div(sections, id="quality-sections"),
            actions("quality", PATH, {"source": None if chosen == "all" else chosen}, lang, download=False),
        ],
        lang, "quality",
    )


LOAD_COLUMNS = ["source_id", "source_file", "status", "vintage", "last_load_id", "load_id", "rows_loaded",
                "started_at", "finished_at", "last_loaded_at", "last_seen", "sha256", "message"]


REJECTION_COLUMNS = ["source_id", "source_file", "source_row", "source_column", "value", "check_name", "reason",
                     "recorded_at", "message", "status"]


CHECK_COLUMNS = ["layer", "check_name", "target", "severity", "status", "failures", "details", "recorded_at"]


def _filter_source(frame, source):
    if source and source != "all" and "source_id" in frame.columns:
        return frame[frame["source_id"] == source]
    if source and source != "all" and not frame.empty:  # checks name their target, not always a source id
        text = frame.apply(lambda r: " ".join(str(v) for v in r.values), axis=1)
        return frame[text.str.contains(source, regex=False)]
    return frame


STATUS_ORDER = {"red": 0, "amber": 1, "green": 2}


def source_status_list(loads: pd.DataFrame, lang: str):
    """One line per source with its traffic light (publish.load_status.source_status) and, for an
    amber or red one, the reason: red first, so a source left on an old vintage is seen."""
    if loads.empty or "source_status" not in loads:
        return html.P(t("dq.no_status", lang), id="quality-status")
    per_source = (loads.drop_duplicates("source_id")
                  .assign(order=lambda f: f["source_status"].map(STATUS_ORDER))
                  .sort_values(["order", "source_id"]))
    items = []
    for r in per_source.itertuples():
        label = r.source_label if isinstance(r.source_label, str) else r.source_id
        reason = r.source_status_reason if isinstance(r.source_status_reason, str) else ""
        items.append(html.Li([
            html.Span(t(f"dq.status_{r.source_status}", lang), className=f"tv-light tv-light-{r.source_status}"),
            " ", html.Strong(label), html.Span(f" – {reason}" if reason else "", className="tv-muted"),
        ], **{"data-source": r.source_id, "data-status": r.source_status}))
    return html.Ul(items, id="quality-status", className="tv-status-list")


def quality_sections(source: str | None, lang: str):
    """Three sections (last loads, rejections, failing checks); each says so if its view is not published."""
    from dash_app.components import unavailable_notice

    out = []
    now = pd.Timestamp.now()
    try:
        out.append(html.Section([html.H2(t("dq.status", lang)), source_status_list(
            _filter_source(queries.load_status(), source), lang)], className="tv-card"))
    except queries.NotYetPublished as exc:
        out.append(html.Section([html.H2(t("dq.status", lang)), unavailable_notice(exc, lang)], className="tv-card"))
    try:
        loads = _filter_source(queries.load_status(), source)
        fresh = freshness(loads)
        if "source_id" in loads:
            loads = loads.assign(freshness=[
                "" if s not in fresh else t("days_ago", lang, d=max(0, (now - fresh[s]).days)) for s in loads["source_id"]])
        body = table(loads, [(c, c.replace("_", " ")) for c in [*LOAD_COLUMNS, "freshness"]] +
                     [(c, c.replace("_", " ")) for c in loads.columns if c not in LOAD_COLUMNS + ["freshness"]][:4],
                     "quality-loads", lang=lang)
    except queries.NotYetPublished as exc:
        body = unavailable_notice(exc, lang)
    out.append(html.Section([html.H2(t("dq.loads", lang)), body], className="tv-card"))
    try:
        rej = _filter_source(queries.rejections(), source)
        body = table(rej, [(c, c.replace("_", " ")) for c in REJECTION_COLUMNS], "quality-rejections", lang=lang) \
            if len(rej) else html.P(t("dq.none_rejected", lang), id="quality-rejections", className="tv-ok")
    except queries.NotYetPublished as exc:
        body = unavailable_notice(exc, lang)
    out.append(html.Section([html.H2(t("dq.rejections", lang)), body], className="tv-card"))
    try:
        checks = queries.quality_results()
        if "status" in checks:
            checks = checks[checks["status"].astype(str) != "pass"]
        checks = _filter_source(checks, source)
        body = table(checks, [(c, c.replace("_", " ")) for c in CHECK_COLUMNS], "quality-checks", lang=lang,
                     row_class=lambda r: "tv-row-flag" if str(getattr(r, "status", "")) in ("fail", "error") else None) \
            if len(checks) else html.P(t("dq.none_failing", lang), id="quality-checks", className="tv-ok")
    except queries.NotYetPublished as exc:
        body = unavailable_notice(exc, lang)
    out.append(html.Section([html.H2(t("dq.checks", lang)), body], className="tv-card"))
    return out


def register(app) -> None:
    @app.callback(
        Output("quality-sections", "children"),
        Output("quality-share-link", "href"),
        Output("quality-share-link", "children"),
        Input("quality-source", "value"),
        State("quality-lang", "data"),
        prevent_initial_call=True,
    )
    def update_quality(source, lang):
        lang = i18n.lang_of(lang)
        try:
            known = {"all", *queries.sources()["source_id"]}
            source = source if source in known else "all"
            sections = quality_sections(source, lang)
        except queries.WarehouseUnavailable as exc:
            return unavailable_notice(exc, lang), no_update, no_update
        href, text = share_link(PATH, {"source": None if source == "all" else source, "lang": lang})
        return sections, href, text

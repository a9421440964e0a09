"""Data quality: per source the last load, vintage, freshness, rejected files with reasons, failing checks."""
import re

import pandas as pd
from dash import dcc, html, Input, no_update, Output, State

from dash_app import i18n, queries
from dash_app.components.notes import share_link, unavailable_notice
from dash_app.components.page import actions, control, page, unavailable_page
from dash_app.components.series import _missing, format_number
from dash_app.components.status import format_date, status_badge, STATUS_ORDER
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
            html.P(t("dq.lead2", lang), className="tv-lead"),
            html.Div(control(t("dq.source", lang), dcc.Dropdown(
                id="quality-source", clearable=False, className="tv-dropdown", value=chosen,
                options=[{"label": t("dq.all_sources", lang), "value": "all"}]
                + [{"label": source_name(r)[:100], "value": r["source_id"]}
                   for r in catalogue.to_dict("records")])), className="tv-controls"),
            html.Div(sections, id="quality-sections"),
            actions("quality", PATH, {"source": None if chosen == "all" else chosen}, lang, download=False),
        ],
        lang, "quality",
    )


def source_name(row: dict) -> str:
    """A source as planners know it: its title (else its publisher), not its id."""
    return _text(row.get("title")) or _text(row.get("publisher")) or _text(row.get("source_id"))


def _filter_source(frame, source):
    if source and source != "all" and "source_id" in frame.columns:
        return frame[frame["source_id"] == source]
    if source and source != "all" and not frame.empty:  # checks name their target, not always a source id
        text = frame.apply(lambda r: " ".join(str(v) for v in r.values), axis=1)
        return frame[text.str.contains(source, regex=False)]
    return frame


def _text(value) -> str:
    return "" if _missing(value) else str(value)


def _file_name(path) -> str:
    return _text(path).rsplit("/", 1)[-1]


def _ids_title(row: dict, columns) -> str | None:
    """Technical ids (run, load, sha256) for whoever runs the warehouse: shown on hover only."""
    parts = [f"{c}: {row[c]}" for c in columns if c in row and not _missing(row[c])]
    return " · ".join(parts) or None


def _count(value) -> int | None:
    try:
        return None if _missing(value) else int(value)
    except (TypeError, ValueError):
        return None


def warnings_of(row: dict, warnings: dict | None = None) -> int:
    """How many ingest checks warned on a file's newest load: publish.load_status.n_warnings, or
    (a warehouse built before that column) its warn rows in publish.quality_results."""
    n = _count(row.get("n_warnings"))
    if n is None and warnings:
        n = warnings.get(_text(row.get("last_load_id")) or _text(row.get("load_id")), 0)
    return n or 0


_RULE = re.compile(r"\[rule: ([^\]]+)\]\s*$")


def problem_words(check: str, lang: str, reason_nb: str | None = None) -> str:
    """What a rejection code means, in Norwegian: the check's own sentence (an expectation's
    why_nb), else the template of its code (dq.problem.<code>), else a sentence naming it."""
    if reason_nb:
        return reason_nb
    key = f"dq.problem.{check}"
    return t(key, lang) if key in i18n._T else t("dq.problem_other", lang, check=check)


def _problem_detail(message: str, source_file: str) -> str:
    """The loader's message for a rejected file (Problem.describe: "<file>, line 4, column 'x':
    <reason> (value: ..) [rule: <code>]") without the file, which the row already names, and the code."""
    detail = _RULE.sub("", message).strip()
    if source_file and detail.startswith(source_file):
        detail = detail[len(source_file):].lstrip(", ")
    return detail


def file_reason(row: dict, lang: str, warnings: dict | None = None, with_file: bool = True) -> str:
    """Why a file is amber or red, in words of the page's language. English keeps the loader's own
    message (specific to the file); Norwegian says what happened and, for a rejected file, what
    its first problem means (the code at the end of the message, Problem.describe)."""
    status, published = _text(row.get("status")), _text(row.get("publication_status"))
    message = _text(row.get("message"))
    detail = plain(message) if lang == "en" else ""
    name = f"{_file_name(row.get('source_file'))}: " if with_file else ""
    if status == "rejected":
        key = "dq.why_rejected_old" if published == "rejected_previous_vintage_published" else "dq.why_rejected"
        found = _RULE.search(message)
        if lang != "en" and found:
            detail = problem_words(found.group(1), lang)
        elif lang == "en":
            detail = _problem_detail(message, _text(row.get("source_file")))
    elif status == "removed":
        key = "dq.why_removed"
    elif status == "loaded" and (n := warnings_of(row, warnings)):
        return name + (
            t("dq.why_warnings_one", lang) if n == 1 else t("dq.why_warnings_many", lang, n=format_number(n, lang)))
    elif status == "loaded" and message:
        key = "dq.why_reloaded"
    else:
        return ""  # loaded without remarks, or unchanged ("same content as an earlier load")
    text = t(key, lang)
    if not with_file:
        text = text[:1].upper() + text[1:]  # the note opens its cell
    return f"{name}{text}" + (f" – {detail}" if detail else "")


_CHECK_PREFIX = re.compile(r"^\s*[a-z_][a-z0-9_.]*(\([^)]*\))?:\s*")


def plain(message: str) -> str:
    """A check's message without the check's technical name in front ("expect_x(col): 1 row ...")."""
    return _CHECK_PREFIX.sub("", message, count=1)


def _source_reason(rows: pd.DataFrame, lang: str, warnings: dict | None = None) -> str:
    if "file_status" in rows and "status" in rows:
        worst = rows.assign(order=rows["file_status"].map(STATUS_ORDER)).sort_values("order")
        return "; ".join(r for r in (file_reason(x, lang, warnings) for x in worst.to_dict("records")
                                     if x.get("file_status") != "green") if r)
    reason = rows["source_status_reason"].iloc[0] if "source_status_reason" in rows else None
    return reason if isinstance(reason, str) else ""


def source_status_list(loads: pd.DataFrame, lang: str, coverage: pd.DataFrame | None = None,
                       warnings: dict | None = None):
    """One line per source with its traffic light (publish.load_status.source_status, as colour AND
    word), its last period covered, last load (date in words) and rows, and for an amber or red one
    the reason in words: red first, so a source left on an old vintage is seen. Ids only on hover."""
    if loads.empty or "source_status" not in loads:
        return html.P(t("dq.no_status", lang), id="quality-status")
    order = loads.assign(order=lambda f: f["source_status"].map(STATUS_ORDER)).sort_values(["order", "source_id"])
    last_period = {}
    if coverage is not None and {"source_id", "last_period"} <= set(coverage.columns):
        last_period = dict(zip(coverage["source_id"], coverage["last_period"]))
    items = []
    for sid in dict.fromkeys(order["source_id"]):
        rows = order[order["source_id"] == sid]
        r = rows.iloc[0].to_dict()
        label = r["source_label"] if isinstance(r.get("source_label"), str) else sid
        reason = _source_reason(rows, lang, warnings)
        facts = []
        if sid in last_period and not _missing(last_period[sid]):
            facts.append(t("dq.covers_to", lang, date=format_date(last_period[sid], lang)))
        if "last_loaded_at" in rows:
            facts.append(t("dq.last_load", lang, date=format_date(rows["last_loaded_at"].max(), lang)))
        if "rows_loaded" in rows:
            facts.append(t("dq.rows", lang, n=format_number(rows["rows_loaded"].fillna(0).sum(), lang)))
        items.append(html.Li([
            status_badge(r["source_status"], lang),
            " ", html.Strong(label, title=sid if label != sid else None),
            html.Span(" · " + " · ".join(facts), className="tv-hint") if facts else "",
            html.Span(f" – {reason}" if reason else "", className="tv-muted"),
        ], **{"data-source": sid, "data-status": r["source_status"]}))
    return html.Ul(items, id="quality-status", className="tv-status-list")


def _table(component_id: str, headers: list[str], rows: list, flags: list | None = None, wrap: tuple = ()):
    """A table; the columns in `wrap` (their index) hold sentences that wrap inside their cell, so a
    long note does not push the table out of its card (the other cells keep their words whole)."""
    body = [html.Tr([html.Td(c, className="tv-cell-wrap" if j in wrap else None) for j, c in enumerate(cells)],
                    className=(flags[i] if flags else None))
            for i, cells in enumerate(rows)]
    return html.Div(html.Table([html.Thead(html.Tr([html.Th(h, scope="col") for h in headers])), html.Tbody(body)],
                               id=component_id, className="tv-table"), className="tv-table-wrap")


def loads_table(loads: pd.DataFrame, lang: str, warnings: dict | None = None):
    """The files of each source: file name (ids on hover), outcome in words, vintage, last load, rows."""
    rows, flags = [], []
    for r in loads.sort_values(["source_id", "source_file"]).to_dict("records"):
        status = _text(r.get("file_status")) or "green"
        rows.append([
            r["source_label"] if isinstance(r.get("source_label"), str) else _text(r.get("source_id")),
            html.Span(_file_name(r.get("source_file")),
                      title=_ids_title(r, ("source_file", "load_id", "last_load_id", "last_run_id", "sha256"))),
            status_badge(status, lang),
            t(f"dq.file_{r.get('status')}", lang) if _text(r.get("status")) in FILE_STATUSES else _text(r.get("status")),
            format_date(r.get("vintage"), lang),
            format_date(r.get("last_loaded_at", r.get("finished_at")), lang),
            format_number(r.get("rows_loaded"), lang),
            file_reason(r, lang, warnings, with_file=False),
        ])
        flags.append("tv-row-flag" if status == "red" else None)
    return _table("quality-loads", [t(f"dq.h_{h}", lang) for h in
                                    ("source", "file", "status", "outcome", "vintage", "loaded", "rows", "reason")],
                  rows, flags, wrap=(7,))


FILE_STATUSES = ("loaded", "unchanged", "rejected", "removed")


def rejections_table(rej: pd.DataFrame, lang: str):
    """Rejected files and rows: the reason in words, file name, row and column, the value refused."""
    rows = []
    order = rej.sort_values("recorded_at", ascending=False) if "recorded_at" in rej else rej
    for r in order.to_dict("records"):
        where = []
        if not _missing(r.get("source_row")):
            where.append(t("dq.row_n", lang, n=int(r["source_row"])))
        if _text(r.get("source_column")):
            where.append(t("dq.column_c", lang, c=r["source_column"]))
        check = _text(r.get("check_name"))
        if lang == "en":
            why = _text(r.get("reason")) or _text(r.get("message")) or check
        else:
            why = problem_words(check, lang, _text(r.get("reason_nb")) or None)
        rows.append([
            html.Span(why, title=check or None),
            html.Span(_file_name(r.get("source_file")), title=_ids_title(r, ("source_file", "load_id"))),
            ", ".join(where) or "–",
            _text(r.get("value")),
            format_date(r.get("recorded_at"), lang),
        ])
    return _table("quality-rejections", [t(f"dq.h_{h}", lang) for h in ("why", "file", "where", "value", "when")],
                  rows, wrap=(0,))


def checks_table(checks: pd.DataFrame, lang: str):
    """Failing and warning checks: what they found, in words; the check's technical name on hover."""
    rows, flags = [], []
    for r in checks.to_dict("records"):
        status = _text(r.get("status"))
        bad = status in ("fail", "error")
        rows.append([
            status_badge("red" if bad else "amber", lang, title=status),
            html.Span(check_words(r, lang),
                      title=_ids_title(r, ("check_name", "target", "layer", "run_id", "load_id"))),
            format_number(r.get("failures"), lang),
            format_date(r.get("recorded_at"), lang),
        ])
        flags.append("tv-row-flag" if bad else None)
    return _table("quality-checks", [t(f"dq.h_{h}", lang) for h in ("status", "found", "count", "when")], rows, flags,
                  wrap=(1,))


def _listed(value) -> list[str]:
    """A list column (source_rows, sample_values) as read by pandas: a list, an array or nothing."""
    if value is None or isinstance(value, str) or (not hasattr(value, "__iter__") and _missing(value)):
        return []
    return [str(v) for v in value if not _missing(v)]


def check_words(row: dict, lang: str) -> str:
    """What a check found, composed in the page's language: how many rows broke the rule and on
    which lines (publish.quality_results failures, source_rows), then the rule itself in that
    language (details_nb / details) and the values found. A result recorded before the Norwegian
    note was kept has none: it says so (its technical name shows on hover)."""
    check = _text(row.get("check_name"))
    note = _text(row.get("details_nb")) if lang == "nb" else _text(row.get("details"))
    if not note:
        note = t("dq.rule_unnamed", lang, check=check)
    n = _count(row.get("failures")) or 0
    if n:
        count = t("dq.rows_break_one", lang) if n == 1 else t("dq.rows_break_many", lang, n=format_number(n, lang))
    else:
        count = t("dq.rule_broken", lang) if _text(row.get("layer")) != "ingest" else ""
    lines = _listed(row.get("source_rows"))
    if count and lines:
        count += " (" + t("dq.at_line" if len(lines) == 1 else "dq.at_lines", lang, lines=", ".join(lines)) + ")"
    text = f"{count}: {note}" if count else note
    values = _listed(row.get("sample_values"))
    if values:
        text += " " + t("dq.values_found", lang, values=", ".join(values))
    return text


def _warning_counts(checks: pd.DataFrame) -> dict:
    """Warnings per load from publish.quality_results (for warehouses without load_status.n_warnings)."""
    if not {"layer", "status", "load_id"} <= set(checks.columns):
        return {}
    warned = checks[(checks["layer"] == "ingest") & (checks["status"] == "warn")]
    return warned.groupby("load_id").size().to_dict()


def quality_sections(source: str | None, lang: str):
    """Four sections (status per source, files, rejections, warnings and failing checks); each says so
    if its view is not published."""
    out = []
    try:
        coverage = queries.source_coverage()
    except queries.NotYetPublished:
        coverage = None
    try:
        all_checks = queries.quality_results()
    except queries.NotYetPublished:
        all_checks = None
    warnings = _warning_counts(all_checks) if all_checks is not None else {}
    try:
        loads = _filter_source(queries.load_status(), source)
        status = source_status_list(loads, lang, coverage, warnings)
        files = (loads_table(loads, lang, warnings) if len(loads)
                 else html.P(t("dq.no_status", lang), id="quality-loads"))
    except queries.NotYetPublished as exc:
        status = files = unavailable_notice(exc, lang)
    out.append(html.Section([html.H2(t("dq.status", lang)), status], className="tv-card"))
    out.append(html.Section([html.H2(t("dq.loads", lang)), files], className="tv-card"))
    try:
        rej = _filter_source(queries.rejections(), source)
        body = rejections_table(rej, lang) if len(rej) else html.P(t("dq.none_rejected", lang),
                                                                   id="quality-rejections", className="tv-ok")
    except queries.NotYetPublished as exc:
        body = unavailable_notice(exc, lang)
    out.append(html.Section([html.H2(t("dq.rejections", lang)), body], className="tv-card"))
    try:
        checks = all_checks if all_checks is not None else queries.quality_results()
        if "status" in checks:
            checks = checks[checks["status"].astype(str) != "pass"]
        checks = _filter_source(checks, source)
        body = checks_table(checks, lang) if len(checks) else html.P(t("dq.none_failing", lang),
                                                                     id="quality-checks", className="tv-ok")
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

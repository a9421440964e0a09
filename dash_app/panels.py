"""Non-figure pieces of the newer views: overview cards, tables, the Explorer's CSV with metadata.

No SQL: frames come from dash_app.queries.
"""
from __future__ import annotations

import io
from datetime import datetime

import pandas as pd
from dash import dcc, html

from dash_app.figures_pages import card_numbers, geo_label, indicator_label
from dash_app.i18n import column_label, t, unit_label

TIME_COLUMNS = ("finished_at", "last_loaded_at", "last_load_at", "loaded_at", "last_seen", "started_at",
                "recorded_at", "vintage")


def _missing(value) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def cell(value) -> str:
    if _missing(value):
        return ""
    if isinstance(value, float):
        return f"{value:,.0f}".replace(",", " ") if abs(value) >= 100 or value == int(value) else f"{value:.2f}"
    if isinstance(value, (pd.Timestamp, datetime)):
        return f"{value:%Y-%m-%d %H:%M}" if (value.hour or value.minute) else f"{value:%Y-%m-%d}"
    return str(value)


def table(frame: pd.DataFrame, columns: list[tuple[str, str]], component_id: str, max_rows: int = 500,
          row_class=None, lang: str | None = None):
    """A plain HTML table of `columns` [(column, header)] that exist in `frame`, in a scroll box.

    With `lang`, a column whose name has a `col.<name>` label in i18n gets that label as header.
    """
    cols = [(c, column_label(c, lang) if lang else h) for c, h in columns if c in frame.columns]
    body = [html.Tr([html.Td(cell(getattr(r, c) if c.isidentifier() else r[c])) for c, _ in cols],
                    className=row_class(r) if row_class else None)
            for r in frame.head(max_rows).itertuples(index=False)]
    return html.Div(html.Table([html.Thead(html.Tr([html.Th(h) for _, h in cols])), html.Tbody(body)],
                               id=component_id, className="tv-table"), className="tv-table-wrap")


# --------------------------------------------------------------------------------------------
# Overview
# --------------------------------------------------------------------------------------------

def freshness(load_status: pd.DataFrame | None) -> dict[str, pd.Timestamp]:
    """Latest load time per source_id from publish.load_status (whatever its time column is called)."""
    if load_status is None or load_status.empty or "source_id" not in load_status:
        return {}
    col = next((c for c in TIME_COLUMNS if c in load_status.columns), None)
    if col is None:
        return {}
    times = pd.to_datetime(load_status[col], errors="coerce")
    return {k: v for k, v in times.groupby(load_status["source_id"]).max().items() if not _missing(v)}


def failing(quality: pd.DataFrame | None) -> pd.DataFrame:
    if quality is None or quality.empty:
        return pd.DataFrame()
    if "status" in quality:
        return quality[quality["status"].astype(str).isin(["fail", "error"])]
    return quality


def _trend_line(stats: pd.DataFrame | None, indicator_id, geo_code, numbers, lang):
    if stats is None:
        return html.P(t("trend_missing", lang), className="tv-hint")
    part = stats[(stats["indicator_id"] == indicator_id) & (stats["geo_code"] == geo_code)]
    for col in ("substance_id", "breakdown"):
        if col in part and numbers.get(col) in set(part[col]):
            part = part[part[col] == numbers[col]]
    for col in ("sex", "age_group"):
        if col in part and "all" in set(part[col]):
            part = part[part[col] == "all"]
    if part.empty:
        return html.P(f"{t('trend', lang)}: –", className="tv-hint")
    row = part.iloc[0]
    direction = str(row.get("direction") or "no_trend")
    arrow = {"increasing": "↗", "decreasing": "↘"}.get(direction, "→")
    text = f"{t('trend', lang)}: {arrow} {t(direction, lang)}"
    if not _missing(row.get("apc")) and not _missing(row.get("apc_low")) and not _missing(row.get("apc_high")):
        text += " · " + t("apc", lang, apc=float(row["apc"]), lo=float(row["apc_low"]), hi=float(row["apc_high"]))
    if not _missing(row.get("first_year")):
        text += f" ({int(row['first_year'])}–{int(row['last_year'])})"
    return html.P(text, className=f"tv-trend tv-trend-{direction}")


def overview_card(spec: dict, rows: pd.DataFrame, *, lang: str, names: dict, stats, loads, quality,
                  now: pd.Timestamp):
    numbers = card_numbers(rows)
    if numbers is None:
        return None
    first = rows.iloc[0].to_dict()
    place = first.get("geo_name") if isinstance(first.get("geo_name"), str) else geo_label(spec["geo"], names)
    change = numbers["change_pct"]
    change_text = "–" if change is None else f"{change:+.1f} % ({numbers['previous_period']} → {numbers['period']})"
    source = numbers["source_id"]
    if loads is None:
        fresh = html.Span(t("freshness", lang) + ": " + ("ikke publisert ennå" if lang == "nb" else "not yet published"))
    else:
        when = freshness(loads).get(source)
        fresh = html.Span(f"{t('freshness', lang)}: " + ("–" if when is None else
                          f"{when:%Y-%m-%d} ({t('days_ago', lang, d=max(0, (now - when).days))})"))
    if quality is None:
        q = html.Span(t("quality_unknown", lang), className="tv-q-unknown")
    else:
        bad = failing(quality)
        if not bad.empty:
            text = bad.apply(lambda r: " ".join(str(v) for v in r.values), axis=1)
            bad = bad[text.str.contains(source, regex=False) | text.str.contains(spec["indicator"], regex=False)]
        q = html.Span(t("quality_fail", lang, n=len(bad)) if len(bad) else t("quality_ok", lang),
                      className="tv-q-fail" if len(bad) else "tv-q-ok")
    href = f"/explorer?indicator={spec['indicator']}&geo={spec['geo']}&lang={lang}"
    detail = f"{spec['path']}?lang={lang}" + (f"&geo={spec['geo']}" if spec.get("geo_param") else "")
    return html.Article(
        [
            html.H2(dcc.Link(indicator_label(first, lang), href=href)),
            html.P(place, className="tv-card-place"),
            html.P([html.Span(numbers["value"], className="tv-big"), " ", html.Span(unit_label(numbers["unit"], lang))]
                   + ([" ", html.Span(t("provisional", lang).split(" (")[0].lower(), className="tv-badge")]
                      if numbers["provisional"] else [])),
            html.P(f"{t('period', lang)}: {numbers['period']}", className="tv-hint"),
            html.P(f"{t('change', lang)}: {change_text}", className="tv-hint"),
            _trend_line(stats, spec["indicator"], spec["geo"], numbers, lang),
            html.P([fresh, " · ", q], className="tv-hint"),
            html.P([dcc.Link(t("open_detail", lang) + " → " + t(spec["nav"], lang), href=detail)],
                   className="tv-card-link"),
        ],
        className="tv-card tv-kpi", id=f"card-{spec['indicator']}-{spec['geo']}",
    )


# --------------------------------------------------------------------------------------------
# Explorer CSV with a metadata header
# --------------------------------------------------------------------------------------------

EXPLORER_COLUMNS = ["indicator_id", "geo_code", "geo_name", "period_type", "period_start", "period_end", "year",
                    "substance_id", "sex", "age_group", "breakdown", "value", "value_low", "value_high", "qualifier",
                    "is_provisional", "is_suppressed", "unit", "rate_per_100k", "rate_low", "rate_high",
                    "index_value", "vintage", "source_id", "source_file", "source_row"]


def csv_with_header(rows: pd.DataFrame, meta: dict, params: dict, lang: str) -> str:
    """CSV text that starts with `# ` comment lines of metadata (definition, unit, source, citation,
    licence, vintage, suppression rule), then the rows."""
    name = meta.get(f"name_{lang}") or meta.get("name_en") or meta.get("indicator_id") or params.get("indicator")
    rule = meta.get("suppression_rule")
    if meta.get("suppression_rule_description"):
        rule = f"{rule}: {meta['suppression_rule_description']}" if rule else meta["suppression_rule_description"]
    if not rule and not _missing(meta.get("suppress_below")):
        rule = f"counts below {int(meta['suppress_below'])} are suppressed (value blank, is_suppressed = true)"
    srcs = meta.get("sources") or []
    lines = [
        f"trendvakt export: {name}",
        f"indicator: {meta.get('indicator_id') or params.get('indicator')}",
        f"definition: {meta.get('definition_en') or meta.get('definition') or 'not yet published (publish.indicators)'}",
        f"unit: {meta.get('unit') or ''}",
        "source: " + "; ".join(f"{s.get('publisher')}: {s.get('title')}" for s in srcs),
        "citation: " + "; ".join(str(s.get("citation") or "") for s in srcs),
        "licence: " + "; ".join(str(s.get("licence") or "") for s in srcs),
        "url: " + "; ".join(str(s.get("url") or "") for s in srcs),
        f"vintage: {meta.get('vintage') or ''}",
        f"suppression rule: {rule or 'none'}",
        "selection: " + "&".join(f"{k}={v}" for k, v in params.items() if v not in (None, "", [])),
        f"metadata from: {meta.get('catalogue', '')}; rows from: publish.{rows['view'].iloc[0] if 'view' in rows and len(rows) else ''}",
        f"exported: {datetime.now():%Y-%m-%d %H:%M}",
    ]
    buf = io.StringIO()
    for line in lines:
        buf.write("# " + line.replace("\n", " ") + "\n")
    rows[[c for c in EXPLORER_COLUMNS if c in rows.columns]].to_csv(buf, index=False)
    return buf.getvalue()

"""Overview: one card per key indicator (latest value, period, change, trend, freshness, quality)."""
import pandas as pd
from dash import dcc, html

from dash_app import i18n, queries
from dash_app.components.labels import geo_label, indicator_label
from dash_app.components.page import page, unavailable_page
from dash_app.components.series import _missing, fmt_num, NON_ADDITIVE
from dash_app.components.status import failing, freshness
from dash_app.i18n import t, unit_label

PATH = "/"
NAV = "nav.overview"
PREFIX = "home"  # component ids of this view start with "home-"


# Which series are key is an editorial choice; the cards show only those with data in the warehouse.
KEY_CARDS = [
    {"indicator": "overdose_deaths_residents", "geo": "municip_nor4601", "path": "/overdoses", "nav": "nav.overdoses"},
    {"indicator": "overdose_callouts", "geo": "ambulancearea_nor_helse_bergen", "path": "/overdoses",
     "nav": "nav.overdoses"},
    {"indicator": "drug_dependence_deaths", "geo": "nation_nor", "path": "/substances", "nav": "nav.substances",
     "geo_param": True},
    {"indicator": "on_premise_sales_litres", "geo": "municip_nor4601", "path": "/alcohol", "nav": "nav.alcohol"},
    {"indicator": "drug_related_deaths_nrs", "geo": "nation_sco", "path": "/substances", "nav": "nav.substances",
     "geo_param": True},
    {"indicator": "overdose_death_rate", "geo": "nation_usa", "path": "/substances", "nav": "nav.substances",
     "geo_param": True},
    {"indicator": "naloxone_given_callouts", "geo": "city_usa_tempe", "path": "/explorer", "nav": "nav.explorer"},
]


def _optional(fn):
    try:
        return fn()
    except queries.NotYetPublished:
        return None


def layout(lang=None, **_ignored):
    lang = i18n.lang_of(lang)
    try:
        rows = queries.key_series([(c["indicator"], c["geo"]) for c in KEY_CARDS])
        names = queries.names()
        stats = _optional(lambda: queries.trend_stats([c["indicator"] for c in KEY_CARDS]))
        loads = _optional(queries.load_status)
        quality = _optional(queries.quality_results)
    except queries.WarehouseUnavailable as exc:
        return unavailable_page(exc, lang, "home", "trendvakt")
    now = pd.Timestamp.now()
    cards = []
    for spec in KEY_CARDS:
        part = rows[(rows["indicator_id"] == spec["indicator"]) & (rows["geo_code"] == spec["geo"])]
        card = overview_card(spec, part, lang=lang, names=names, stats=stats, loads=loads, quality=quality, now=now)
        if card is not None:
            cards.append(card)
    notes = []
    for value, view in ((stats, "trend_stats"), (loads, "load_status"), (quality, "quality_results")):
        if value is None:
            notes.append(html.Li(i18n.t("not_published", lang, view=view)))
    return page(
        [
            html.H1(i18n.t("nav.overview", lang)),
            html.P(i18n.t("tagline", lang), className="tv-lead"),
            html.Div(cards, className="tv-index-grid", id="overview-cards"),
            html.Ul(notes, className="tv-hint tv-not-published", id="overview-missing") if notes else None,
        ],
        lang, "home",
    )


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


def card_numbers(rows: pd.DataFrame) -> dict | None:
    """Latest value, its period and the change from the previous period of one series."""
    if rows.empty:
        return None
    rows = rows.sort_values("period_start")
    counts = rows["breakdown"].fillna("all").value_counts()
    rows = rows[rows["breakdown"].fillna("all") == ("all" if "all" in counts.index else counts.index[0])]
    if "all" in set(rows["substance_id"]):
        rows = rows[rows["substance_id"] == "all"]
    elif rows["substance_id"].nunique() > 1 and str(rows["unit"].iloc[0]) not in NON_ADDITIVE:
        # e.g. litres by beverage group: the card shows the total of the groups per period
        first = rows.iloc[0]
        rows = (rows.groupby(["period_start", "period_end", "period_type"], as_index=False)
                .agg(value=("value", lambda v: v.sum(min_count=len(v))), is_provisional=("is_provisional", "max"),
                     is_suppressed=("is_suppressed", "max"))
                .assign(unit=first["unit"], qualifier="exact", value_low=None, value_high=None,
                        source_id=first["source_id"], substance_id="all", breakdown=first["breakdown"])
                .sort_values("period_start"))
    last = rows.iloc[-1]
    prev = rows.iloc[-2] if len(rows) > 1 else None
    value = last["value"]
    text = fmt_num(value)
    q = str(last.get("qualifier") or "")
    if pd.isna(value):
        if last.get("is_suppressed"):
            text = "✱"
        elif q == "below":
            text = f"< {fmt_num(last['value_high'])}"
        elif q == "above":
            text = f"> {fmt_num(last['value_low'])}"
        elif q == "range":
            text = f"{fmt_num(last['value_low'])}–{fmt_num(last['value_high'])}"
    change = None
    if prev is not None and pd.notna(value) and pd.notna(prev["value"]) and prev["value"]:
        change = (float(value) - float(prev["value"])) / abs(float(prev["value"])) * 100
    from dash_app.components.series import period_label
    return {"value": text, "unit": last["unit"], "period": period_label(last.to_dict()),
            "previous_period": None if prev is None else period_label(prev.to_dict()), "change_pct": change,
            "provisional": bool(last.get("is_provisional")), "source_id": last["source_id"],
            "substance_id": last["substance_id"], "breakdown": last["breakdown"]}



def register(app) -> None:
    """The Overview has no controls, so no callbacks."""

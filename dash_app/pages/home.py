"""Overview: one card per key indicator (latest value, period, change, trend, freshness, quality)."""
from urllib.parse import quote

import pandas as pd
from dash import dcc, html

from dash_app import i18n, queries
from dash_app.components.labels import geo_label, indicator_label
from dash_app.components.page import page, unavailable_page
from dash_app.components.series import _missing, format_number, NON_ADDITIVE, period_label
from dash_app.components.status import failing, format_date, freshness
from dash_app.i18n import t, unit_label

PATH = "/"
NAV = "nav.overview"
PREFIX = "home"  # component ids of this view start with "home-"


# Which series are key is an editorial choice; the cards show only those with data in the warehouse.
# The catalogue (publish.indicators) defines indicators in English only: each card carries its
# Norwegian definition, and an English one where the catalogue's needs a warning.
KEY_CARDS = [
    {"indicator": "overdose_deaths_residents", "geo": "municip_nor4601", "path": "/overdoses", "nav": "nav.overdoses",
     "definition_nb": "Narkotikautløste dødsfall (overdoser) blant innbyggere i kommunen, fra Dødsårsaksregisteret "
                      "slik rapportene siterer dem."},
    {"indicator": "overdose_callouts", "geo": "ambulancearea_nor_helse_bergen", "path": "/overdoses",
     "nav": "nav.overdoses",
     "definition_nb": "Ambulanseutrykninger til overdoser i ambulanseområdet, slik rapportene oppgir dem."},
    {"indicator": "drug_dependence_deaths", "geo": "nation_nor", "path": "/substances", "nav": "nav.substances",
     "geo_param": True, "breakdown": "residents, deaths in the country",
     "definition_nb": "Eurostats dødsårsaksgruppe «narkotikaavhengighet og toksikomani» (ICD-10 F11–F16, F18–F19), "
                      "bosatte som døde i landet. Et smalere mål enn overdosedødsfall: ikke landets overdosetall.",
     "definition_en": "Eurostat's cause-of-death group 'drug dependence and toxicomania' (ICD-10 F11–F16, F18–F19), "
                      "residents who died in the country. A narrower measure than overdose deaths: not the "
                      "national overdose toll."},
    {"indicator": "on_premise_sales_litres", "geo": "municip_nor4601", "path": "/alcohol", "nav": "nav.alcohol",
     "definition_nb": "Årlig skjenkeomsetning (salg på skjenkesteder) i liter drikkevare, summen av øl, vin og "
                      "brennevin, slik kommunens bevillingskontor rapporterer den."},
    {"indicator": "drug_related_deaths_nrs", "geo": "nation_sco", "path": "/substances", "nav": "nav.substances",
     "geo_param": True,
     "definition_nb": "Dødsfall registrert i Skottland i året der underliggende årsak er narkotikaforgiftning eller "
                      "narkotikamisbruk/-avhengighet, etter NRS' definisjon (britisk «baseline»)."},
    {"indicator": "overdose_death_rate", "geo": "nation_usa", "path": "/substances", "nav": "nav.substances",
     "geo_param": True,
     "definition_nb": "Aldersjustert rate av overdosedødsfall per 100 000 innbyggere (CDC WONDER, alle "
                      "medvirkende årsaker); alle rusmidler samlet."},
    {"indicator": "naloxone_given_callouts", "geo": "city_usa_tempe", "path": "/explorer", "nav": "nav.explorer",
     "definition_nb": "Ambulanseutrykninger til mistenkte opioidoverdoser der nalokson (Narcan) ble gitt, talt fra "
                      "hendelsesregisteret."},
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


def _definition(spec: dict, lang: str) -> str:
    """What the indicator counts, in the language: the card's own wording, else the catalogue's."""
    own = spec.get(f"definition_{lang}")
    if own:
        return own
    try:
        meta = queries.indicator_metadata(spec["indicator"])
    except queries.WarehouseUnavailable:
        meta = {}
    return meta.get(f"definition_{lang}") or (meta.get("definition_en") if lang == "en" else "") or ""


def sparkline(rows: pd.DataFrame, label: str, lang: str) -> html.Img:
    """A small inline SVG of the series: a line through exact values, bounds as a shaded band
    (range: low to high; below N: 0 to N; above N: N upwards), provisional values as open dots."""
    width, height, pad = 220, 48, 4
    lows = rows["value_low"].where(rows["qualifier"].isin(("range", "above")), None)
    highs = rows["value_high"].where(rows["qualifier"].isin(("range", "below")), None)
    top = pd.concat([rows["value"], rows["value_high"], rows["value_low"]]).max()
    top = float(top) if pd.notna(top) and top > 0 else 1.0
    n = len(rows)
    xs = [pad + (width - 2 * pad) * (i / (n - 1) if n > 1 else 0.5) for i in range(n)]
    y = lambda v: height - pad - (height - 2 * pad) * float(v) / top  # noqa: E731
    step = (width - 2 * pad) / max(n - 1, 1)
    records = rows.to_dict("records")  # once: a conversion costs more than the drawing
    parts = []
    for x, row, lo, hi in zip(xs, records, lows, highs):
        q = str(row.get("qualifier") or "")
        if pd.isna(row.get("value")) and q in BOUNDS:
            lo_v = 0.0 if q == "below" or pd.isna(lo) else float(lo)
            hi_v = top if q == "above" or pd.isna(hi) else float(hi)
            parts.append(f'<rect class="band" x="{x - step * 0.4:.1f}" y="{y(hi_v):.1f}" width="{step * 0.8:.1f}" '
                         f'height="{max(1.0, y(lo_v) - y(hi_v)):.1f}" fill="#0072b2" fill-opacity="0.3"/>')
    final = [(x, float(r["value"])) for x, r in zip(xs, records)
             if pd.notna(r["value"]) and not r.get("incomplete")]
    if len(final) > 1:
        points = " ".join(f"{x:.1f},{y(v):.1f}" for x, v in final)
        parts.append(f'<polyline points="{points}" fill="none" stroke="#0072b2" stroke-width="2"/>')
    for x, r in zip(xs, records):
        if pd.notna(r["value"]):
            fill = "#fff" if r.get("incomplete") else "#0072b2"
            parts.append(f'<circle cx="{x:.1f}" cy="{y(r["value"]):.1f}" r="2.5" fill="{fill}" stroke="#0072b2"/>')
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}">' + "".join(parts) + "</svg>")
    periods = [period_label(r) for r in records]
    alt = t("ov.spark_alt", lang, label=label, first=periods[0], last=periods[-1]) if periods else label
    return html.Img(src="data:image/svg+xml;charset=utf-8," + quote(svg), alt=alt, width=width, height=height,
                    className="tv-spark")


def overview_card(spec: dict, rows: pd.DataFrame, *, lang: str, names: dict, stats, loads, quality,
                  now: pd.Timestamp):
    numbers = card_numbers(rows, spec, lang)
    if numbers is None:
        return None
    first = rows.iloc[0].to_dict()
    place = geo_label(spec["geo"], names, lang)
    change = numbers["change_pct"]
    change_text = "–" if change is None else f"{change:+.1f} % ({numbers['previous_period']} → {numbers['period']})"
    source = numbers["source_id"]
    loaded = None if loads is None else freshness(loads).get(source)
    load_text = (t("ov.not_published", lang) if loads is None else format_date(loaded, lang))
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
    label = indicator_label(first, lang)
    newer = numbers["newer"]
    definition = _definition(spec, lang)
    return html.Article(
        [
            html.H2(dcc.Link(label, href=href)),
            html.P(place, className="tv-card-place"),
            html.P(definition, className="tv-definition") if definition else None,
            html.P([html.Span(numbers["value"], className="tv-big"), " ", html.Span(unit_label(numbers["unit"], lang)),
                    " ", html.Span(f"({numbers['period']})", className="tv-card-period")], className="tv-headline"),
            html.P([html.Span(t("ov.newer" if newer["provisional"] else "ov.partial", lang, period=newer["period"],
                                value=newer["value"]),
                              className="tv-badge")], className="tv-newer") if newer else None,
            sparkline(numbers["rows"], label, lang),
            html.Dl([
                html.Dt(t("ov.data_period", lang)), html.Dd(t("ov.data_up_to", lang, period=numbers["last_period"]),
                                                            className="tv-data-period"),
                html.Dt(t("ov.load_time", lang)), html.Dd(t("ov.loaded", lang, date=load_text), className="tv-load-time",
                                                          title=None if loaded is None else f"{loaded:%Y-%m-%d %H:%M}"),
            ], className="tv-card-facts"),
            html.P(f"{t('change', lang)}: {change_text}", className="tv-hint"),
            _trend_line(stats, spec["indicator"], spec["geo"], numbers, lang),
            html.P([q], className="tv-hint"),
            html.P([dcc.Link(t("open_detail", lang) + " → " + t(spec["nav"], lang), href=detail)],
                   className="tv-card-link"),
        ],
        className="tv-card tv-kpi", id=f"card-{spec['indicator']}-{spec['geo']}",
    )


BOUNDS = ("below", "above", "range")


def _value_text(row, lang: str) -> str:
    value, q = row["value"], str(row.get("qualifier") or "")
    if pd.notna(value):
        return format_number(value, lang)
    if row.get("is_suppressed"):
        return "✱"
    if q == "below":
        return f"< {format_number(row['value_high'], lang)}"
    if q == "above":
        return f"> {format_number(row['value_low'], lang)}"
    if q == "range":
        return f"{format_number(row['value_low'], lang)}–{format_number(row['value_high'], lang)}"
    return "–"


def card_series(rows: pd.DataFrame, spec: dict | None = None) -> pd.DataFrame:
    """The one series a card shows, oldest first: one breakdown (the card's, else 'all', else the most
    common), yearly periods when there are any, the total of the substances; with a column
    `incomplete` for periods not complete (provisional, or a year the data do not yet cover)."""
    spec = spec or {}
    rows = rows.sort_values("period_start")
    counts = rows["breakdown"].fillna("all").value_counts()
    wanted = spec.get("breakdown") if spec.get("breakdown") in counts.index else (
        "all" if "all" in counts.index else counts.index[0])
    rows = rows[rows["breakdown"].fillna("all") == wanted]
    # Finer periods (months, weeks) say how far the data reach, e.g. a year covered only to September.
    finer = rows[rows["period_type"] != "year"] if "year" in set(rows["period_type"]) else rows.iloc[0:0]
    covered_until = pd.to_datetime((finer if not finer.empty else rows)["period_end"]).max()
    last_finer = None if finer.empty else finer.sort_values(["period_end", "period_type"]).iloc[-1]
    if "year" in set(rows["period_type"]):
        rows = rows[rows["period_type"] == "year"]
    elif rows["period_type"].nunique() > 1:
        rows = rows[rows["period_type"] == rows["period_type"].value_counts().index[0]]
    if "all" in set(rows["substance_id"]):
        rows = rows[rows["substance_id"] == "all"]
    elif rows["substance_id"].nunique() > 1 and str(rows["unit"].iloc[0]) not in NON_ADDITIVE:
        # e.g. litres by beverage group: the card shows the total of the groups per period
        first = rows.iloc[0]
        rows = (rows.groupby(["period_start", "period_end", "period_type"], as_index=False)
                .agg(value=("value", lambda v: v.sum(min_count=len(v))), is_provisional=("is_provisional", "max"),
                     is_suppressed=("is_suppressed", "max"))
                .assign(unit=first["unit"], qualifier="exact", value_low=None, value_high=None,
                        source_id=first["source_id"], substance_id="all", breakdown=first["breakdown"]))
    rows = rows.sort_values("period_start").reset_index(drop=True)
    ends = pd.to_datetime(rows["period_end"])
    vintage = pd.to_datetime(rows["vintage"], errors="coerce") if "vintage" in rows else pd.Series(pd.NaT, rows.index)
    rows["incomplete"] = (rows["is_provisional"].fillna(False).astype(bool) | (ends > covered_until)
                          | (vintage.notna() & (ends > vintage)))
    rows.attrs["last_period"] = (period_label(last_finer.to_dict())
                                 if last_finer is not None and rows["incomplete"].iloc[-1] else None)
    return rows


def card_numbers(rows: pd.DataFrame, spec: dict | None = None, lang: str = i18n.DEFAULT_LANG) -> dict | None:
    """Headline of one series: the latest complete period (value, period, change from the one before);
    a newer incomplete (provisional or partial) period is returned apart as `newer`."""
    if rows.empty:
        return None
    rows = card_series(rows, spec)
    complete = rows[~rows["incomplete"]]
    if complete.empty:
        complete = rows
    last = complete.iloc[-1]
    prev = complete.iloc[-2] if len(complete) > 1 else None
    later = rows[rows["period_start"] > last["period_start"]]
    newer = None if later.empty else {"period": period_label(later.iloc[-1].to_dict()),
                                      "value": _value_text(later.iloc[-1], lang),
                                      "provisional": bool(later.iloc[-1].get("is_provisional"))}
    change = None
    if prev is not None and pd.notna(last["value"]) and pd.notna(prev["value"]) and prev["value"]:
        change = (float(last["value"]) - float(prev["value"])) / abs(float(prev["value"])) * 100
    return {"value": _value_text(last, lang), "unit": last["unit"], "period": period_label(last.to_dict()),
            "previous_period": None if prev is None else period_label(prev.to_dict()), "change_pct": change,
            "provisional": bool(last.get("is_provisional")), "source_id": last["source_id"],
            "substance_id": last["substance_id"], "breakdown": last["breakdown"], "newer": newer,
            "last_period": rows.attrs.get("last_period") or period_label(rows.iloc[-1].to_dict()), "rows": rows}


def register(app) -> None:
    """The Overview has no controls, so no callbacks."""

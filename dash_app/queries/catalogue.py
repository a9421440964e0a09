"""Catalogues: place and substance names, sources and their labels, events, indicator metadata
for CSV headers (publish.sources, publish.events, publish.indicators, publish.observations)."""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from dash_app.queries.connection import _as_list, _frame, _isna, cached, published_views


@cached
def names() -> dict[str, dict[str, str]]:
    """Names from the catalogues carried by the publish views: {'geo': {code: name}, 'geo_nb',
    'geo_en' (from publish.geographies, when published), 'substance_nb': {id: name}, 'substance_en':
    {id: name}}. Places without a published name keep their code."""
    # One pass over each view (indicator_series is an expensive view: scanning it twice cost twice).
    columns = {"indicator_series": "substance_id, substance_name_nb, substance_name_en",
               "substance_trends": "substance_id, substance_name_nb, substance_name_en",
               "alcohol_sales": "substance_id, beverage_name_nb, beverage_name_en",
               "overdose": "null, null, null", "survey_rounds": "null, null, null"}
    views = published_views()
    parts = [f"select distinct geo_code, geo_name, {cols} from publish.{v}" for v, cols in columns.items() if v in views]
    out = {"geo": {}, "substance_nb": {}, "substance_en": {}}
    if not parts:
        return out
    frame = _frame(
        "with u(geo_code, geo_name, substance_id, nb, en) as materialized (" + " union all ".join(parts) + ")"
        """
        select 'geo' as kind, geo_code as code, min(geo_name) as nb, min(geo_name) as en
        from u where geo_name is not null group by geo_code
        union all
        select 'substance' as kind, substance_id as code, min(nb) as nb, min(en) as en
        from u where substance_id is not null group by substance_id
        """
    )
    geo, sub = frame[frame["kind"] == "geo"], frame[frame["kind"] == "substance"]
    out["geo"] = dict(zip(geo["code"], geo["nb"]))
    out["substance_nb"] = {k: v for k, v in zip(sub["code"], sub["nb"]) if isinstance(v, str)}
    out["substance_en"] = {k: v for k, v in zip(sub["code"], sub["en"]) if isinstance(v, str)}
    out["geo_nb"], out["geo_en"] = dict(out["geo"]), dict(out["geo"])
    if "geographies" in views:  # both languages (Norge / Norway) where the catalogue has them
        places = _frame("select geo_code, name_nb, name_en from publish.geographies")
        out["geo_nb"].update(zip(places["geo_code"], places["name_nb"]))
        out["geo_en"].update(zip(places["geo_code"], places["name_en"]))
    return out


@cached
def sources(source_ids: Iterable[str] | str | None = None) -> pd.DataFrame:
    """The source catalogue; all sources when `source_ids` is None."""
    ids = None if source_ids is None else _as_list(source_ids)
    return _frame(
        """
        select source_id, publisher, title, citation, licence, url
        from publish.sources
        where $ids is null or list_contains(cast($ids as varchar[]), source_id)
        order by source_id
        """,
        {"ids": ids},
    )


@cached
def source_label(source_id: str) -> str | None:
    """The human-readable label of a source, as carried by the published rows.

    Falls back to "publisher: title" from publish.sources; None for an unknown source id.
    """
    frame = _frame(
        """
        with labels as (
            select source_id, source_label from publish.substance_trends where source_id = $id
            union all
            select source_id, source_label from publish.alcohol_sales where source_id = $id
            union all
            select source_id, source_label from publish.survey_rounds where source_id = $id
        ),
        label as (
            select min(source_label) as source_label from labels where source_label is not null
        )
        select coalesce(
                   (select source_label from label),
                   (select publisher || ': ' || title from publish.sources where source_id = $id)
               ) as label
        """,
        {"id": source_id},
    )
    value = frame["label"].iloc[0] if len(frame) else None
    return None if value is None or pd.isna(value) else str(value)


@cached
def events() -> pd.DataFrame:
    """Dated events for chart annotations."""
    return _frame(
        "select event_date, event_id, label_nb, label_en, geo_code from publish.events order by event_date"
    )


@cached
def indicator_metadata(indicator_id: str) -> dict:
    """Definition, unit, source, citation, licence, vintage and suppression rule of one indicator.

    From publish.indicators when it is published; otherwise names, unit and threshold are taken
    from publish.observations and the definition is reported as not yet published."""
    views = published_views()
    if "indicators" in views:
        cat = _frame("select * from publish.indicators where indicator_id = $id", {"id": indicator_id})
    else:
        cat = _frame(
            """
            select indicator_id, min(indicator_name_nb) as name_nb, min(indicator_name_en) as name_en,
                   min(unit) as unit, cast(null as varchar) as definition_en, min(source_id) as source_id,
                   max(suppress_below) as suppress_below, cast(null as varchar) as suppression_rule
            from publish.observations where indicator_id = $id group by indicator_id
            """,
            {"id": indicator_id},
        )
    meta = {} if cat.empty else {k: (None if _isna(v) else v) for k, v in cat.iloc[0].to_dict().items()}
    vintage = _frame("select max(vintage) as vintage, string_agg(distinct source_id, ',') as source_ids "
                     "from publish.observations where indicator_id = $id", {"id": indicator_id})
    meta["vintage"] = None if vintage.empty or _isna(vintage["vintage"].iloc[0]) else str(vintage["vintage"].iloc[0])
    ids = [s for s in str(vintage["source_ids"].iloc[0] or "").split(",") if s] if not vintage.empty else []
    if meta.get("source_id") and meta["source_id"] not in ids:
        ids.insert(0, meta["source_id"])
    meta["sources"] = sources(ids).to_dict("records") if ids else []
    meta["catalogue"] = "publish.indicators" if "indicators" in views else "publish.observations"
    return meta

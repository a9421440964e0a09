-- What the Dash substance views read. Thin view over the contracted mart so the column list is
-- stated once more, here, where it leaves the building.
select
    indicator_id, indicator_name_nb, indicator_name_en, unit, geo_code, geo_name,
    substance_id, substance_name_nb, substance_name_en, substance_group,
    period_type, period_start, period_end, year,
    value, value_low, value_high, qualifier, detail,
    source_id, source_label, source_file, source_row,
    -- added: which panel (trend signals) or 'all'
    breakdown
from {{ ref('mart_substance_trends') }}

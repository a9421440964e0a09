-- What the Dash trend views read: one row per series with its APC, joinpoints, Mann-Kendall test
-- and direction (marts.mart_trend_stats, without the per-segment columns: see trend_segments).
-- Model summaries, not cells: no suppression applies.
select
    indicator_id, geo_code, substance_id, sex, age_group, breakdown, unit,
    first_year, last_year, n_years, apc, apc_low, apc_high, apc_model,
    n_joinpoints, joinpoint_years, mk_trend, mk_p_value, sens_slope, direction
from {{ ref('mart_trend_stats') }}

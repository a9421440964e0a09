-- What the Dash trend views read: one row per series with its APC, joinpoints, Mann-Kendall test
-- and direction (marts.mart_trend_stats, without the per-segment columns: see trend_segments).
-- A fit is a function of every count of its series (a Poisson APC and its interval give the
-- series total back exactly), so a fit is published only for a series none of whose cells is
-- hidden (publish.indicator_series); the others have no row here.
select
    stats.indicator_id, stats.geo_code, stats.substance_id, stats.sex, stats.age_group, stats.breakdown,
    stats.unit, stats.first_year, stats.last_year, stats.n_years, stats.apc, stats.apc_low, stats.apc_high,
    stats.apc_model, stats.n_joinpoints, stats.joinpoint_years, stats.mk_trend, stats.mk_p_value,
    stats.sens_slope, stats.direction
from {{ ref('mart_trend_stats') }} as stats
where {{ series_fully_shown('stats') }}

-- The distinct event counts that need an exact Poisson interval: every value of a count of
-- events (macros/rate_units.sql: deaths, callouts, admissions) in today's borders. Counts
-- re-expressed through a split are fractional (17 * 0.35); they are kept as they are and get
-- the continuous (gamma) generalisation of the same interval. Feeds int_poisson_exact_limits.
-- Grain: one row per distinct count.
select distinct
    cast(value as double precision) as events
from {{ ref('int_indicator_series_current_borders') }}
where unit in {{ rate_units() }}
  and value is not null
  and value >= 0

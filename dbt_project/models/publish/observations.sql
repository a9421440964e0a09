-- Every harmonised observation as it may leave the building: the latest vintage of each number
-- (earlier vintages stay in marts.fct_observations for as-of queries), small counts suppressed.
-- Rule: an indicator with suppress_below (e.g. 4 for death counts, following FHI) hides the row's
-- numbers when the number that would be published is below it. For a bound or a range (value
-- null) the tested number is the upper bound, else the lower bound: "under 3" or "0 to 2" would
-- reveal a small count just as "2" would, while "1 to 7" does not. Suppressed numbers become
-- null, never 0, and is_suppressed says so; the row itself stays so the gap is visible.
with

observations as (
    select * from {{ ref('fct_observations') }}
    where is_latest_vintage
),

indicators as (
    select indicator_id, name_nb, name_en, suppress_below from {{ ref('dim_indicator') }}
),

flagged as (
    select
        observations.*,
        indicators.name_nb as indicator_name_nb,
        indicators.name_en as indicator_name_en,
        indicators.suppress_below,
        coalesce(
            indicators.suppress_below is not null
            and coalesce(observations.value, observations.value_high, observations.value_low)
                < indicators.suppress_below,
            false
        ) as is_suppressed
    from observations
    left join indicators on observations.indicator_id = indicators.indicator_id
)

select
    observation_id, indicator_id, indicator_name_nb, indicator_name_en,
    geo_code, period_type, period_start, period_end, substance_id, sex, age_group,
    case when is_suppressed then null else value end as value,
    case when is_suppressed then null else value_low end as value_low,
    case when is_suppressed then null else value_high end as value_high,
    qualifier,
    case when is_suppressed then null else numerator end as numerator,
    denominator, unit, is_provisional, vintage, detail,
    source_id, load_id, source_file, source_row, source_column,
    suppress_below, is_suppressed,
    -- added columns (after the original ones, so positional readers keep working)
    observation_key, breakdown
from flagged

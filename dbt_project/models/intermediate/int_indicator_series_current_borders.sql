-- Every latest-vintage observation re-expressed in today's borders (int_geography_current_borders).
-- Norwegian municipality codes are mapped by (code, year of period_start) to today's code(s);
-- every other geography (nations, landsdeler, counties, health trusts, ambulance areas, US,
-- Europe) keeps its code. Then, per today's code:
--   merge  (several old codes -> one today's code): counts and amounts are SUMMED; a sum of
--          exact numbers is a number, a sum with any bound is a bound (value null; value_low =
--          sum of numbers and lower bounds, only if every part has one; value_high likewise),
--          never a midpoint. Shares are recomputed from summed numerator/denominator, never
--          averaged; a non-additive number (percent, per_100k, direction) that cannot be
--          recomputed gets value null and qualifier not_aggregable.
--   split  (one old code -> several today's codes): counts and amounts are multiplied by the
--          split's weight (int_geography_current_borders: the predecessors' population where it is
--          known, else FHI's weighting) and flagged is_estimated; persons are then rounded to whole
--          persons by the largest remainder (the parts sum to the whole); a share or rate is carried
--          over unchanged (it is the old area's) and flagged is_estimated.
-- Grain: one row per source, indicator, today's geo_code, period, substance, sex, age group and
-- breakdown (latest vintage only).
with

observations as (
    select
        fct.*,
        cast({{ date_part('year', 'fct.period_start') }} as integer) as obs_year
    from {{ ref('fct_observations') }} as fct
    where fct.is_latest_vintage
),

borders as (
    select * from {{ ref('int_geography_current_borders') }}
),

mapped as (
    select
        observations.*,
        coalesce(borders.to_code, observations.geo_code) as current_geo_code,
        coalesce(borders.weight, 1.0) as weight,
        coalesce(borders.is_estimated, false) as is_estimated,
        observations.unit in {{ non_additive_units() }} as is_non_additive,
        observations.value * coalesce(borders.weight, 1.0) as share_of_value
    from observations
    left join borders
        on observations.geo_code = borders.from_code
        -- an unspecified period (no year) uses the code's latest span
        and coalesce(observations.obs_year, 9999) >= coalesce(borders.lookup_from_year, -9999)
        and coalesce(observations.obs_year, 9999) <= coalesce(borders.lookup_to_year, 9999)
),

apportioned as (
    -- persons are whole: a split's shares of a population are rounded to integers by the largest
    -- remainder (floor every share, then give the units still missing to the largest fractional
    -- parts, ties by code), so the parts of one observation sum exactly to it (1507 Ålesund's
    -- 63,457 persons of 2015 at 0.5/0.5: 31,729 + 31,728, never 31,728.5 each)
    select
        mapped.*,
        case
            when unit = 'persons' and value is not null and weight < 1
                then floor(share_of_value)
                    + case
                        when row_number() over (
                                partition by observation_id
                                order by share_of_value - floor(share_of_value) desc, current_geo_code
                             )
                             <= round(value) - sum(floor(share_of_value)) over (partition by observation_id)
                            then 1 else 0
                      end
            else share_of_value
        end as weighted_value
    from mapped
),

aggregated as (
    select
        source_id,
        indicator_id,
        current_geo_code as geo_code,
        period_type,
        period_start,
        period_end,
        substance_id,
        sex,
        age_group,
        breakdown,
        unit,
        max(case when is_non_additive then 1 else 0 end) = 1 as is_non_additive,
        count(*) as n_parts,
        count(value) as n_values,
        count(coalesce(value, value_low)) as n_lows,
        count(coalesce(value, value_high)) as n_highs,
        count(numerator) as n_numerators,
        count(denominator) as n_denominators,
        count(distinct qualifier) as n_qualifiers,
        min(qualifier) as any_qualifier,
        -- additive: weighted sums
        sum(weighted_value) as sum_value,
        sum(coalesce(value, value_low) * weight) as sum_low,
        sum(coalesce(value, value_high) * weight) as sum_high,
        sum(numerator * weight) as sum_numerator,
        sum(denominator * weight) as sum_denominator,
        -- non-additive, single part: carried over
        max(value) as max_value,
        max(value_low) as max_value_low,
        max(value_high) as max_value_high,
        max(numerator) as max_numerator,
        max(denominator) as max_denominator,
        max(case when is_estimated then 1 else 0 end) = 1 as is_estimated,
        max(case when is_provisional then 1 else 0 end) = 1 as is_provisional,
        max(vintage) as vintage,
        min(source_file) as source_file,
        min(source_row) as source_row
    from apportioned
    group by
        source_id, indicator_id, current_geo_code, period_type, period_start, period_end,
        substance_id, sex, age_group, breakdown, unit
),

combined as (
    select
        aggregated.*,
        case
            when n_parts = 1 and is_non_additive then max_value
            when is_non_additive
                then case
                    when unit = 'percent' and n_numerators = n_parts and n_denominators = n_parts
                         and sum_denominator > 0
                        then 100.0 * sum_numerator / sum_denominator
                end
            when n_values = n_parts then sum_value
        end as value,
        case
            when n_parts = 1 and is_non_additive then max_value_low
            when is_non_additive then null
            when n_values < n_parts and n_lows = n_parts then sum_low
        end as value_low,
        case
            when n_parts = 1 and is_non_additive then max_value_high
            when is_non_additive then null
            when n_values < n_parts and n_highs = n_parts then sum_high
        end as value_high,
        case
            when n_parts = 1 and is_non_additive then max_numerator
            when n_numerators = n_parts then sum_numerator
        end as numerator,
        case
            when n_parts = 1 and is_non_additive then max_denominator
            when n_denominators = n_parts then sum_denominator
        end as denominator
    from aggregated
)

select
    source_id,
    indicator_id,
    geo_code,
    period_type,
    period_start,
    period_end,
    cast({{ date_part('year', 'period_start') }} as integer) as year,
    substance_id,
    sex,
    age_group,
    breakdown,
    unit,
    cast(value as double precision) as value,
    cast(value_low as double precision) as value_low,
    cast(value_high as double precision) as value_high,
    cast(case
        when n_qualifiers = 1 and (n_parts = 1 or not is_non_additive or value is not null)
            then any_qualifier
        when value is not null then 'approx'
        when is_non_additive then 'not_aggregable'
        when value_low is not null and value_high is not null then 'range'
        when value_high is not null then 'below'
        when value_low is not null then 'above'
        else any_qualifier
    end as {{ dbt.type_string() }}) as qualifier,
    cast(numerator as double precision) as numerator,
    cast(denominator as double precision) as denominator,
    is_provisional,
    is_estimated,
    cast(n_parts as integer) as n_parts,
    vintage,
    source_file,
    cast(source_row as integer) as source_row
from combined

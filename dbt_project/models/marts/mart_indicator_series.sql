-- Every indicator as a series in today's borders with the statistics a planner needs.
-- One row per indicator, geography (today's borders), period, substance, sex, age group,
-- breakdown and source (latest vintage). Built from int_indicator_series_current_borders
-- (merges summed, splits weighted and flagged is_estimated). Column list = docs/contracts.md
-- publish.indicator_series without is_suppressed (the publish view adds it).
--   population        residents on 1 January of period_start's year (int_population_current_borders):
--                     age 15+ for an age_group '15+' row, else all ages; Norway and
--                     municipalities only (null elsewhere).
--   rate_per_100k     value / population * 100,000 for counts of events (macros/rate_units.sql),
--                     yearly, both sexes, age_group all or 15+; null for non-Norwegian series
--                     (the source's own rate, e.g. CDC WONDER per_100k, stays in value).
--                     Null, with rate_low/rate_high, where the numerator is not part of the
--                     resident population (seeds/series_statistical_scope.csv,
--                     numerator_in_resident_population = false: deaths of non-residents,
--                     Eurostat's 'all residences'); the seed's `reason` says why.
--   rate_low/high     exact Poisson 95 % limits of the count (int_poisson_exact_limits) over the
--                     same population. A BOUND STAYS A BOUND: a 'below 30' row (value null,
--                     value_high 29) has rate_per_100k null, rate_low null and rate_high =
--                     29 / population * 100,000; a range 31-36 has rate_low/rate_high from 31
--                     and 36 (the bounds of the rate, not a Poisson interval, never a midpoint).
--   rate_unreliable   the count is, or may be, below 20 (value < 20; for a bound unless its
--                     lower bound is 20 or more); null without a rate.
--   index_value       100 * value / value in index_base_year (yearly series only): the
--                     catalogue's index_base_year, else the first year of the series with a value.
--   rolling_3y_sum    sum of this and the two previous years' counts, only when all three
--                     consecutive years have a value (yearly counts/amounts only); never for a
--                     derived average (series_statistical_scope.is_derived_average: summing three
--                     five-year averages counts the same deaths up to three times).
--   change_from_previous(_pct)  against the immediately preceding period of the same series
--                     (it ends the day before this one starts; for points: one year earlier);
--                     null after a gap, for bounds, and (pct) when the previous value is 0.
with

series as (
    select * from {{ ref('int_indicator_series_current_borders') }}
),

population as (
    select * from {{ ref('int_population_current_borders') }}
),

limits as (
    select * from {{ ref('int_poisson_exact_limits') }}
),

indicator_catalogue as (
    select indicator_id, index_base_year from {{ ref('indicators') }}
),

statistical_scope as (
    select indicator_id, breakdown, is_derived_average, numerator_in_resident_population
    from {{ ref('series_statistical_scope') }}
),

indicators as (select * from {{ ref('dim_indicator') }}),
geographies as (select * from {{ ref('dim_geography') }}),
substances as (select * from {{ ref('dim_substance') }}),
sources as (select * from {{ ref('dim_source') }}),

with_population as (
    select
        series.*,
        population.persons as population,
        coalesce(statistical_scope.is_derived_average, false) as is_derived_average,
        coalesce(
            series.unit in {{ rate_units() }}
            and coalesce(statistical_scope.numerator_in_resident_population, true)
            and series.period_type = 'year'
            and series.sex = 'all'
            and series.age_group in ('all', '15+')
            and population.persons > 0,
            false
        ) as has_rate
    from series
    left join population
        on series.geo_code = population.geo_code
        and series.year = population.year
        and population.age_group = case when series.age_group = '15+' then '15+' else 'all' end
        -- the population series itself has no denominator
        and series.indicator_id <> 'population'
    left join statistical_scope
        on series.indicator_id = statistical_scope.indicator_id
        and series.breakdown = statistical_scope.breakdown
),

rated as (
    select
        with_population.*,
        case when has_rate then 100000.0 * value / population end as rate_per_100k,
        case
            when not has_rate then null
            when value is not null then 100000.0 * limits.lower_limit / population
            else 100000.0 * value_low / population
        end as rate_low,
        case
            when not has_rate then null
            when value is not null then 100000.0 * limits.upper_limit / population
            else 100000.0 * value_high / population
        end as rate_high,
        case
            when not has_rate then null
            when value is not null then value < 20
            when value_low is not null then value_low < 20
            -- a 'below' bound: may be fewer than 20
            when value_high is not null then true
            -- no number at all (not available, suppressed): no rate, so nothing to call unreliable
        end as rate_unreliable
    from with_population
    left join limits on with_population.value = limits.events
),

series_windows as (
    select
        rated.*,
        unit not in {{ non_additive_units() }} as is_additive,
        lag(period_start) over w as previous_start,
        lag(period_end) over w as previous_end,
        lag(value) over w as previous_value,
        lag(year, 2) over w as year_lag2,
        lag(value, 1) over w as value_lag1,
        lag(value, 2) over w as value_lag2,
        lag(year, 1) over w as year_lag1
    from rated
    window w as (
        partition by source_id, indicator_id, geo_code, substance_id, sex, age_group, breakdown, period_type
        order by period_start
    )
),

index_bases as (
    select
        series_windows.source_id, series_windows.indicator_id, series_windows.geo_code,
        series_windows.substance_id, series_windows.sex, series_windows.age_group,
        series_windows.breakdown,
        coalesce(max(indicator_catalogue.index_base_year), min(case when value is not null then year end)) as index_base_year
    from series_windows
    left join indicator_catalogue on series_windows.indicator_id = indicator_catalogue.indicator_id
    where series_windows.period_type = 'year'
    group by 1, 2, 3, 4, 5, 6, 7
),

indexed as (
    select
        series_windows.*,
        index_bases.index_base_year,
        base.value as base_value
    from series_windows
    left join index_bases
        on series_windows.period_type = 'year'
        and series_windows.source_id = index_bases.source_id
        and series_windows.indicator_id = index_bases.indicator_id
        and series_windows.geo_code = index_bases.geo_code
        and series_windows.substance_id = index_bases.substance_id
        and series_windows.sex = index_bases.sex
        and series_windows.age_group = index_bases.age_group
        and series_windows.breakdown = index_bases.breakdown
    left join series_windows as base
        on base.period_type = 'year'
        and base.source_id = index_bases.source_id
        and base.indicator_id = index_bases.indicator_id
        and base.geo_code = index_bases.geo_code
        and base.substance_id = index_bases.substance_id
        and base.sex = index_bases.sex
        and base.age_group = index_bases.age_group
        and base.breakdown = index_bases.breakdown
        and base.year = index_bases.index_base_year
),

final as (
    select
        indexed.*,
        case
            when previous_value is null or value is null then false
            when period_type = 'point' then previous_start = {{ dbt.dateadd('year', -1, 'period_start') }}
            else {{ dbt.dateadd('day', 1, 'previous_end') }} = period_start
        end as has_previous
    from indexed
)

select
    cast(final.indicator_id as varchar) as indicator_id,
    cast(indicators.name_nb as varchar) as indicator_name_nb,
    cast(indicators.name_en as varchar) as indicator_name_en,
    cast(final.unit as varchar) as unit,
    cast(final.geo_code as varchar) as geo_code,
    cast(geographies.name_nb as varchar) as geo_name,
    cast(geographies.geo_level as varchar) as geo_level,
    cast(final.period_type as varchar) as period_type,
    cast(final.period_start as date) as period_start,
    cast(final.period_end as date) as period_end,
    cast(final.year as integer) as year,
    cast(final.substance_id as varchar) as substance_id,
    cast(substances.name_nb as varchar) as substance_name_nb,
    cast(substances.name_en as varchar) as substance_name_en,
    cast(substances.substance_group as varchar) as substance_group,
    cast(final.sex as varchar) as sex,
    cast(final.age_group as varchar) as age_group,
    cast(final.breakdown as varchar) as breakdown,
    cast(final.value as double) as value,
    cast(final.value_low as double) as value_low,
    cast(final.value_high as double) as value_high,
    cast(final.qualifier as varchar) as qualifier,
    cast(final.is_provisional as boolean) as is_provisional,
    cast(final.is_estimated as boolean) as is_estimated,
    cast(final.numerator as double) as numerator,
    cast(final.denominator as double) as denominator,
    cast(final.population as double) as population,
    cast(final.rate_per_100k as double) as rate_per_100k,
    cast(final.rate_low as double) as rate_low,
    cast(final.rate_high as double) as rate_high,
    cast(final.rate_unreliable as boolean) as rate_unreliable,
    cast(final.index_base_year as integer) as index_base_year,
    cast(case
        when final.base_value > 0 and final.value is not null
            then 100.0 * final.value / final.base_value
    end as double) as index_value,
    cast(case
        when final.period_type = 'year' and final.is_additive and not final.is_derived_average
         and final.year_lag1 = final.year - 1 and final.year_lag2 = final.year - 2
         and final.value is not null and final.value_lag1 is not null and final.value_lag2 is not null
            then final.value + final.value_lag1 + final.value_lag2
    end as double) as rolling_3y_sum,
    cast(case when final.has_previous then final.value - final.previous_value end as double) as change_from_previous,
    cast(case
        when final.has_previous and final.previous_value <> 0
            then 100.0 * (final.value - final.previous_value) / final.previous_value
    end as double) as change_from_previous_pct,
    cast(final.vintage as timestamp) as vintage,
    cast(final.source_id as varchar) as source_id,
    cast(sources.source_label as varchar) as source_label,
    cast(final.source_file as varchar) as source_file,
    cast(final.source_row as integer) as source_row
from final
left join indicators on final.indicator_id = indicators.indicator_id
left join geographies on final.geo_code = geographies.geo_code
left join substances on final.substance_id = substances.substance_id
left join sources on final.source_id = sources.source_id

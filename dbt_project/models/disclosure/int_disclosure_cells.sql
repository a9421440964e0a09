-- The cell registry: every count that a publish view can show under a suppression rule, once.
-- A cell is identified by what a reader sees (source, indicator, place, period, substance, sex,
-- age group, breakdown, unit), not by the view that shows it: publish.observations (the
-- latest vintage of marts.fct_observations), publish.indicator_series (today's borders) and
-- publish.substance_trends show the same cell with the same key, so one decision hides it in all
-- three. Cells of today's borders that no observation has (merged or split municipalities) are
-- cells of their own, linked to their parts by int_disclosure_border_links.
-- Only indicators with a rule take part (a rule is per indicator, so every relation between
-- cells lies within one rule). Grain: one row per cell_key.
with

rules as (
    {{ indicator_suppression_rules() }}
),

observed as (
    select
        'observations' as registered_from,
        source_id, indicator_id, geo_code, period_type, period_start, period_end, substance_id,
        sex, age_group, breakdown, unit, value, value_low, value_high, qualifier
    from {{ ref('fct_observations') }}
    where is_latest_vintage
),

series_only as (
    select
        'indicator_series' as registered_from,
        series.source_id, series.indicator_id, series.geo_code, series.period_type, series.period_start,
        series.period_end, series.substance_id, series.sex, series.age_group, series.breakdown,
        series.unit, series.value, series.value_low, series.value_high, series.qualifier
    from {{ ref('mart_indicator_series') }} as series
    anti join observed
        on series.source_id = observed.source_id
        and series.indicator_id = observed.indicator_id
        and series.geo_code = observed.geo_code
        and series.period_type = observed.period_type
        and series.period_start is not distinct from observed.period_start
        and series.period_end is not distinct from observed.period_end
        and series.substance_id = observed.substance_id
        and series.sex = observed.sex
        and series.age_group = observed.age_group
        and series.breakdown = observed.breakdown
        and series.unit = observed.unit
),

registered as (
    select * from observed
    union all
    select * from series_only
)

select
    {{ disclosure_cell_key('registered') }} as cell_key,
    registered.registered_from,
    registered.source_id, registered.indicator_id, registered.geo_code, registered.period_type,
    registered.period_start, registered.period_end, registered.substance_id, registered.sex,
    registered.age_group, registered.breakdown, registered.unit,
    registered.value, registered.value_low, registered.value_high, registered.qualifier,
    -- the number the rule is applied to: for a bound or a range the upper bound, else the lower
    coalesce(registered.value, registered.value_high, registered.value_low) as tested_count,
    -- the publisher withheld the number (nothing to hide, but a relation cannot use it)
    coalesce(registered.qualifier = 'suppressed', false) as is_withheld,
    rules.suppression_rule,
    rules.suppress_below,
    rules.zero_is_shown,
    -- the range of counts the rule hides: FHI 0-3, CDC 1-9 (0 shown), fallback 0..threshold-1
    case when rules.zero_is_shown then 1 else 0 end as hidden_range_low,
    rules.suppress_below - 1 as hidden_range_high,
    coalesce(registered.qualifier = 'suppressed', false)
        or {{ is_below_rule('coalesce(registered.value, registered.value_high, registered.value_low)',
                            'rules.suppress_below', 'rules.zero_is_shown') }} as hidden_primary
from registered
inner join rules on registered.indicator_id = rules.indicator_id
where rules.suppression_rule is not null

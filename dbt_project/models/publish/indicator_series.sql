-- What the Dash series views read: marts.mart_indicator_series (today's borders, rates with
-- exact Poisson intervals, index, rolling sums, changes) with every cell hidden that the
-- disclosure step hides (models/disclosure, docs/disclosure.md: the publisher's rule, numbers the
-- publisher withheld, complements over sex, age, geography, time and borders; the same decision
-- as in publish.observations for the same cell). A suppressed cell shows no value, bounds,
-- numerator, rate, rate interval or rate_unreliable flag; and no other row may give it away:
-- change_from_previous(_pct) is blank when this or the previous period is suppressed,
-- rolling_3y_sum when any of its three years is, index_value when the cell or its base year is.
with

series as (
    select * from {{ ref('mart_indicator_series') }}
),

rules as (
    {{ indicator_suppression_rules() }}
),

decided as (
    select
        series.*,
        rules.suppression_rule,
        coalesce(decision.is_suppressed, series.qualifier = 'suppressed', false) as is_suppressed
    from series
    left join rules on series.indicator_id = rules.indicator_id
    left join {{ disclosure_decisions_for('series') }}
),

neighbours as (
    select
        decided.*,
        lag(is_suppressed) over series_order as previous_suppressed,
        max(case when is_suppressed then 1 else 0 end) over (
            partition by source_id, indicator_id, geo_code, substance_id, sex, age_group, breakdown, period_type
            order by period_start rows between 2 preceding and current row
        ) = 1 as window_3y_suppressed
    from decided
    window series_order as (
        partition by source_id, indicator_id, geo_code, substance_id, sex, age_group, breakdown, period_type
        order by period_start
    )
),

index_bases as (
    select source_id, indicator_id, geo_code, substance_id, sex, age_group, breakdown, year, is_suppressed
    from decided
    where period_type = 'year'
),

protected as (
    select
        neighbours.*,
        coalesce(base.is_suppressed, false) as base_suppressed
    from neighbours
    left join index_bases as base
        on neighbours.period_type = 'year'
        and neighbours.source_id = base.source_id
        and neighbours.indicator_id = base.indicator_id
        and neighbours.geo_code = base.geo_code
        and neighbours.substance_id = base.substance_id
        and neighbours.sex = base.sex
        and neighbours.age_group = base.age_group
        and neighbours.breakdown = base.breakdown
        and neighbours.index_base_year = base.year
)

select
    indicator_id, indicator_name_nb, indicator_name_en, unit, geo_code, geo_name, geo_level,
    period_type, period_start, period_end, year,
    substance_id, substance_name_nb, substance_name_en, substance_group, sex, age_group, breakdown,
    case when is_suppressed then null else value end as value,
    case when is_suppressed then null else value_low end as value_low,
    case when is_suppressed then null else value_high end as value_high,
    qualifier, is_provisional, is_estimated, is_suppressed,
    case when is_suppressed then null else numerator end as numerator,
    denominator, population,
    case when is_suppressed then null else rate_per_100k end as rate_per_100k,
    case when is_suppressed then null else rate_low end as rate_low,
    case when is_suppressed then null else rate_high end as rate_high,
    case when is_suppressed then null else rate_unreliable end as rate_unreliable,
    index_base_year,
    case when is_suppressed or base_suppressed then null else index_value end as index_value,
    case when window_3y_suppressed then null else rolling_3y_sum end as rolling_3y_sum,
    case when is_suppressed or coalesce(previous_suppressed, false) then null else change_from_previous end
        as change_from_previous,
    case when is_suppressed or coalesce(previous_suppressed, false) then null else change_from_previous_pct end
        as change_from_previous_pct,
    vintage, source_id, source_label, source_file, source_row,
    -- added after the contract's columns
    suppression_rule
from protected

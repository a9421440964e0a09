-- What the Dash overdose view reads: marts.mart_overdose (deaths versus ambulance callouts per
-- geography and year) with small death counts suppressed under the rule of the indicator the
-- deaths come from (deaths_indicator_id; macros/suppression.sql; FHI: under 4 hidden; CDC: 1-9
-- hidden, 0 shown) or withheld by the publisher. A suppressed year shows no deaths, bounds or
-- death rate (a rate derived from a suppressed count is suppressed too) and no callouts_per_death
-- or ratio bounds (callouts / them = the count or its bounds).
-- The ratio is also blanked wherever the death count it implies is under the strictest rule:
-- callouts / callouts_per_death for the number; callouts / callouts_per_death_low (= the upper
-- bound of the deaths, the number a bound is judged by, as in is_below_rule) for the bounds. For
-- the Helse Bergen ambulance area the ratio uses Bergen municipality's deaths, which this row does
-- not show. Callouts carry no rule and stay.
with

overdose as (
    select * from {{ ref('mart_overdose') }}
),

rules as (
    {{ indicator_suppression_rules() }}
),

flagged as (
    select
        overdose.*,
        rules.suppression_rule,
        coalesce(overdose.deaths_qualifier = 'suppressed', false)
            or {{ is_below_rule('coalesce(overdose.deaths, overdose.deaths_high, overdose.deaths_low)',
                                'rules.suppress_below', 'rules.zero_is_shown') }} as is_suppressed,
        coalesce(overdose.callouts / overdose.callouts_per_death < {{ strictest_suppress_below() }}, false)
            as ratio_reveals_small_count,
        coalesce(overdose.callouts / overdose.callouts_per_death_low < {{ strictest_suppress_below() }}, false)
            as ratio_bounds_reveal_small_count
    from overdose
    left join rules on overdose.deaths_indicator_id = rules.indicator_id
)

select
    geo_code, geo_name, year,
    case when is_suppressed then null else deaths end as deaths,
    case when is_suppressed then null else deaths_low end as deaths_low,
    case when is_suppressed then null else deaths_high end as deaths_high,
    deaths_qualifier,
    case when is_suppressed then null else death_rate_per_100k end as death_rate_per_100k,
    case when is_suppressed then null else death_rate_low end as death_rate_low,
    case when is_suppressed then null else death_rate_high end as death_rate_high,
    callouts, callout_rate_per_100k,
    case when is_suppressed or ratio_reveals_small_count then null else callouts_per_death end as callouts_per_death,
    deaths_source_id, callouts_source_id, is_suppressed,
    -- added after the contract's columns
    suppression_rule,
    case when is_suppressed then 'primary' end as suppression_reason,
    deaths_indicator_id,
    case when is_suppressed or ratio_bounds_reveal_small_count then null else callouts_per_death_low end
        as callouts_per_death_low,
    case when is_suppressed or ratio_bounds_reveal_small_count then null else callouts_per_death_high end
        as callouts_per_death_high
from flagged

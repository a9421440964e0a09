-- What the Dash overdose view reads: marts.mart_overdose (deaths versus ambulance callouts per
-- geography and year) with the deaths hidden where the disclosure step hides their cell (the
-- same decision as in publish.observations and publish.indicator_series: the rule of the
-- indicator the deaths come from, a number the publisher withheld, or a complement). A hidden
-- year shows no deaths, bounds or death rate, and no callouts_per_death or ratio bounds
-- (callouts / them = the count or its bounds); the ratio is also hidden where the deaths it
-- divides by (Bergen municipality's, for the Helse Bergen ambulance area) are hidden. The ratio is
-- blanked, too, wherever the death count it implies is under the strictest rule: callouts /
-- callouts_per_death for the number, callouts / callouts_per_death_low (the upper bound of the
-- deaths, the number a bound is judged by) for the bounds. Callouts carry no rule and stay.
with

overdose as (
    select * from {{ ref('mart_overdose') }}
),

rules as (
    {{ indicator_suppression_rules() }}
),

decisions as (
    select cell_key, is_suppressed from {{ ref('int_disclosure_decisions') }}
),

flagged as (
    select
        overdose.*,
        rules.suppression_rule,
        coalesce(deaths_decision.is_suppressed, overdose.deaths_qualifier = 'suppressed', false) as is_suppressed,
        coalesce(ratio_decision.is_suppressed, false) as ratio_deaths_suppressed,
        coalesce(overdose.callouts / overdose.callouts_per_death < {{ strictest_suppress_below() }}, false)
            as ratio_reveals_small_count,
        coalesce(overdose.callouts / overdose.callouts_per_death_low < {{ strictest_suppress_below() }}, false)
            as ratio_bounds_reveal_small_count
    from overdose
    left join rules on overdose.deaths_indicator_id = rules.indicator_id
    left join decisions as deaths_decision on overdose.deaths_cell_key = deaths_decision.cell_key
    left join decisions as ratio_decision on overdose.ratio_deaths_cell_key = ratio_decision.cell_key
)

select
    geo_code, geo_name, year,
    {{ protected('deaths') }} as deaths,
    {{ protected('deaths_low') }} as deaths_low,
    {{ protected('deaths_high') }} as deaths_high,
    deaths_qualifier,
    {{ protected('death_rate_per_100k') }} as death_rate_per_100k,
    {{ protected('death_rate_low') }} as death_rate_low,
    {{ protected('death_rate_high') }} as death_rate_high,
    callouts, callout_rate_per_100k,
    {{ protected('callouts_per_death', 'is_suppressed or ratio_deaths_suppressed or ratio_reveals_small_count') }}
        as callouts_per_death,
    deaths_source_id, callouts_source_id, is_suppressed,
    -- added after the contract's columns
    suppression_rule,
    deaths_indicator_id,
    {{ protected('callouts_per_death_low', 'is_suppressed or ratio_deaths_suppressed or ratio_bounds_reveal_small_count') }}
        as callouts_per_death_low,
    {{ protected('callouts_per_death_high', 'is_suppressed or ratio_deaths_suppressed or ratio_bounds_reveal_small_count') }}
        as callouts_per_death_high
from flagged

-- Every harmonised observation as it may leave the building: the latest vintage of each number
-- (earlier vintages stay in marts.fct_observations for as-of queries), with every count under a
-- rule hidden as the disclosure step decided (models/disclosure: the publisher's rule, numbers
-- the publisher withheld, and the complements chosen so that no hidden count can be worked out
-- from totals over sex, age, geography, time or borders; docs/disclosure.md). Suppressed numbers
-- become null, never 0; is_suppressed says so; the row stays so the gap is visible. Whether a
-- hidden cell is the small one or a complement is not published: it would tell a reader which
-- cells lie in the rule's range.
with

observations as (
    select * from {{ ref('fct_observations') }}
    where is_latest_vintage
),

indicators as (
    select indicator_id, name_nb, name_en from {{ ref('dim_indicator') }}
),

rules as (
    {{ indicator_suppression_rules() }}
),

decided as (
    select
        observations.*,
        indicators.name_nb as indicator_name_nb,
        indicators.name_en as indicator_name_en,
        rules.suppress_below,
        rules.suppression_rule,
        coalesce(decision.is_suppressed, observations.qualifier = 'suppressed', false) as is_suppressed
    from observations
    left join indicators on observations.indicator_id = indicators.indicator_id
    left join rules on observations.indicator_id = rules.indicator_id
    left join {{ disclosure_decisions_for('observations') }}
)

select
    observation_id, indicator_id, indicator_name_nb, indicator_name_en,
    geo_code, period_type, period_start, period_end, substance_id, sex, age_group,
    {{ protected('value') }} as value,
    {{ protected('value_low') }} as value_low,
    {{ protected('value_high') }} as value_high,
    qualifier,
    {{ protected('numerator') }} as numerator,
    denominator, unit, is_provisional, vintage, detail,
    source_id, load_id, source_file, source_row, source_column,
    suppress_below, is_suppressed,
    -- added columns (after the original ones, so positional readers keep working)
    observation_key, breakdown, suppression_rule
from decided

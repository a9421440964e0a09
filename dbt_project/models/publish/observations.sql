-- Every harmonised observation as it may leave the building: the latest vintage of each number
-- (earlier vintages stay in marts.fct_observations for as-of queries), small counts suppressed.
-- Rules (macros/suppression.sql): each indicator's suppression_rule and suppress_below (FHI: deaths
-- under 4 hidden, 0 too; CDC/NCHS: 1-9 hidden, 0 shown). For a bound or a range (value null) the
-- tested number is the upper bound, else the lower bound: "under 3" or "0 to 2" would reveal a
-- small count just as "2" would, while "1 to 7" does not. A number the publisher withheld
-- (qualifier suppressed) is suppressed too. Secondary suppression: when exactly one of male/female
-- (or of the age bands) under a shown total is hidden, the next-smallest is hidden as well.
-- Suppressed numbers become null, never 0; is_suppressed and suppression_reason say so; the row
-- stays so the gap is visible.
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

flagged as (
    select
        observations.*,
        observations.observation_id as cell_id,
        coalesce(observations.value, observations.value_high, observations.value_low) as tested_count,
        indicators.name_nb as indicator_name_nb,
        indicators.name_en as indicator_name_en,
        rules.suppress_below,
        rules.suppression_rule,
        observations.qualifier = 'suppressed'
            or {{ is_below_rule('coalesce(observations.value, observations.value_high, observations.value_low)',
                                'rules.suppress_below', 'rules.zero_is_shown') }} as hidden_primary
    from observations
    left join indicators on observations.indicator_id = indicators.indicator_id
    left join rules on observations.indicator_id = rules.indicator_id
),

{{ secondary_suppression(
    'flagged',
    ['source_id', 'indicator_id', 'geo_code', 'period_type', 'period_start', 'period_end',
     'substance_id', 'breakdown', 'unit', 'sex', 'age_group'],
    'tested_count', 'suppression_rule') }}

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
    observation_key, breakdown, suppression_rule, suppression_reason
from flagged_secondary

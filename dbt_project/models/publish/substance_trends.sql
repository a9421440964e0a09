-- What the Dash substance views read: marts.mart_substance_trends with every count hidden that
-- the disclosure step hides (the same decision as publish.observations and
-- publish.indicator_series take for the same cell, so no view shows what another hides).
-- A hidden cell keeps its row with value and bounds null and is_suppressed true.
with

trends as (
    -- the mart holds only both sexes and all ages; the cell key names them
    select *, 'all' as sex, 'all' as age_group from {{ ref('mart_substance_trends') }}
),

rules as (
    {{ indicator_suppression_rules() }}
),

decided as (
    select
        trends.*,
        rules.suppression_rule,
        coalesce(decision.is_suppressed, trends.qualifier = 'suppressed', false) as is_suppressed
    from trends
    left join rules on trends.indicator_id = rules.indicator_id
    left join {{ disclosure_decisions_for('trends') }}
)

select
    indicator_id, indicator_name_nb, indicator_name_en, unit, geo_code, geo_name,
    substance_id, substance_name_nb, substance_name_en, substance_group,
    period_type, period_start, period_end, year,
    {{ protected('value') }} as value,
    {{ protected('value_low') }} as value_low,
    {{ protected('value_high') }} as value_high,
    qualifier, detail,
    source_id, source_label, source_file, source_row,
    -- added: which panel (trend signals) or 'all'
    breakdown,
    -- added: the disclosure decision
    is_suppressed, suppression_rule
from decided

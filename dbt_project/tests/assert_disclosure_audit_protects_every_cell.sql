{{ config(severity='error') }}
-- The attacker as the disclosure check: a row here is a hidden cell whose value a reader can pin
-- down from what is published (totals over sex, age, geography, time and borders, all at once,
-- by linear programming in int_disclosure_decisions) to an interval that reaches into its rule's
-- hidden range and is narrower than that range (FHI 0-3: narrower than 3; CDC 1-9: narrower
-- than 8). The build fails and the last good warehouse stays published.
select
    cells.source_id, cells.indicator_id, cells.geo_code, cells.period_start, cells.sex, cells.age_group,
    cells.suppression_rule, decisions.suppression_role, decisions.audit_low, decisions.audit_high
from {{ ref('int_disclosure_decisions') }} as decisions
inner join {{ ref('int_disclosure_cells') }} as cells on decisions.cell_key = cells.cell_key
where decisions.audit_exposed
   -- a hidden cell the audit did not reach although it lies in a relation
   or (decisions.is_suppressed and decisions.audit_exposed is null
       and exists (select 1 from {{ ref('int_disclosure_relations') }} as r where r.cell_key = cells.cell_key))

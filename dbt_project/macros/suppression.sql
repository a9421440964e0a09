{#
  Small-number suppression as code. One place states the publishers' rules; every publish view
  that carries counts (or rates and derived numbers computed from counts) applies them through
  these macros, and tests/assert_publish_disclosure_safe.sql checks the published result
  against the unsuppressed marts.

  Rules (catalogue.indicators.suppression_rule; suppress_below holds the threshold):
    fhi_cod_under_4   FHI, Cause of Death Registry (Dødsårsaksregisteret): cells with fewer than
                      4 deaths are not shown (0-3 hidden). Norwegian death counts.
    cdc_nchs_1_to_9   CDC / NCHS (WONDER, VSRR): counts of 1-9 are suppressed; 0 is shown.
                      Rates on fewer than 20 events are flagged unreliable, not hidden.
    below_threshold   trendvakt's fallback for an indicator with a threshold but no named rule
                      (a source spec's suppress_below): every count under it hidden, 0 included.
  Indicators that a source spec declares (no seed row) get cdc_nchs_1_to_9 when the source is
  CDC's, fhi_cod_under_4 when the threshold is 4 (the death-count specs follow FHI), else
  below_threshold.
#}

{% macro suppression_rule_catalogue() %}
    select 'fhi_cod_under_4' as suppression_rule,
           'Norwegian Institute of Public Health (FHI), Cause of Death Registry' as rule_publisher,
           'Cells with fewer than 4 deaths are hidden (0-3), following FHI''s cause-of-death statistics.' as rule_description,
           false as zero_is_shown
    union all
    select 'cdc_nchs_1_to_9',
           'US Centers for Disease Control and Prevention, National Center for Health Statistics',
           'Counts of 1-9 are suppressed, 0 is shown (CDC WONDER / NCHS); rates on fewer than 20 events are flagged unreliable, not hidden.',
           true
    union all
    select 'below_threshold',
           'trendvakt',
           'Counts below the indicator''s suppress_below are hidden, 0 included (fallback when no publisher rule is named).',
           false
{% endmacro %}


{#- Effective rule per indicator: indicator_id, suppress_below, suppression_rule, zero_is_shown. -#}
{% macro indicator_suppression_rules() %}
    select
        named.indicator_id,
        named.suppress_below,
        named.suppression_rule,
        coalesce(catalogue.zero_is_shown, false) as zero_is_shown
    from (
        select
            dim.indicator_id,
            dim.suppress_below,
            case
                when dim.suppress_below is null then null
                when nullif(cast(seed.suppression_rule as varchar), '') is not null
                    then cast(seed.suppression_rule as varchar)
                when dim.source_id like 'cdc%' then 'cdc_nchs_1_to_9'
                when dim.suppress_below = 4 then 'fhi_cod_under_4'
                else 'below_threshold'
            end as suppression_rule
        from {{ ref('dim_indicator') }} as dim
        left join {{ ref('indicators') }} as seed on dim.indicator_id = seed.indicator_id
    ) as named
    left join ({{ suppression_rule_catalogue() }}) as catalogue
        on named.suppression_rule = catalogue.suppression_rule
{% endmacro %}


{#-
  True when a count must be hidden under the rule. `count_expr` is the number that would be
  published: for a bound or a range the upper bound, else the lower bound (callers pass
  coalesce(value, value_high, value_low)); "under 3" reveals a small count as "2" would.
-#}
{% macro is_below_rule(count_expr, threshold_expr, zero_is_shown_expr) %}
    coalesce(
        {{ threshold_expr }} is not null
        and {{ count_expr }} < {{ threshold_expr }}
        and not ({{ zero_is_shown_expr }} and {{ count_expr }} = 0),
        false
    )
{% endmacro %}


{#- A text key of a cell from its grain columns (null shown as <null>); hashed into disclosure_cell_key. -#}
{% macro cell_key(columns) %}
{%- set parts = [] -%}
{%- for c in columns -%}
{%- do parts.append("coalesce(cast(" ~ c ~ " as varchar), '<null>')") -%}
{%- if not loop.last %}{% do parts.append("'|'") %}{% endif -%}
{%- endfor -%}
{{ dbt.concat(parts) }}
{%- endmacro %}


{#- The strictest threshold of any rule: a number that could stand for any death count is held to it. -#}
{% macro strictest_suppress_below() %}
    (select max(suppress_below) from {{ ref('dim_indicator') }})
{% endmacro %}


{#- The key of a published cell, the same in every view: a hash of what a reader sees of it
    (source, indicator, place, period, substance, sex, age group, breakdown, unit). -#}
{% macro disclosure_cell_key(alias) %}
{%- set cols = [] -%}
{%- for c in ['source_id', 'indicator_id', 'geo_code', 'period_type', 'period_start', 'period_end',
              'substance_id', 'sex', 'age_group', 'breakdown', 'unit'] -%}
{%- do cols.append(alias ~ '.' ~ c) -%}
{%- endfor -%}
{{ dbt.hash(cell_key(cols)) }}
{%- endmacro %}


{#-
  The one way a publish view learns whether a cell is hidden: a join to the decisions of the
  disclosure step (models/disclosure/int_disclosure_decisions), on the cell key of `alias`.
  Use as `left join {{ disclosure_decisions_for('series') }}`; then `decision.is_suppressed`
  is true for a cell hidden by its rule, withheld by its publisher or chosen as a complement, and
  null for a cell no rule covers.
-#}
{% macro disclosure_decisions_for(alias) %}
    {{ ref('int_disclosure_decisions') }} as decision on decision.cell_key = {{ disclosure_cell_key(alias) }}
{%- endmacro %}


{#- A published number that is blank when its cell is hidden. -#}
{% macro protected(column, hidden='is_suppressed') %}
    case when {{ hidden }} then null else {{ column }} end
{%- endmacro %}


{#- True for a series (indicator, place, substance, sex, age, breakdown, unit) none of whose
    published cells is hidden: the condition for publishing a model fitted to its counts. -#}
{% macro series_fully_shown(alias) %}
    not exists (
        select 1
        from {{ ref('indicator_series') }} as hidden_cell
        where hidden_cell.is_suppressed
          and hidden_cell.indicator_id = {{ alias }}.indicator_id
          and hidden_cell.geo_code = {{ alias }}.geo_code
          and hidden_cell.substance_id = {{ alias }}.substance_id
          and hidden_cell.sex = {{ alias }}.sex
          and hidden_cell.age_group = {{ alias }}.age_group
          and hidden_cell.breakdown = {{ alias }}.breakdown
          and hidden_cell.unit = {{ alias }}.unit
    )
{%- endmacro %}

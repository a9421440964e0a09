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


{#-
  Secondary suppression, as CTEs to put in a WITH clause (the caller adds nothing after the
  macro but its final select). Input `input_cte` has a unique `cell_id`, the grain columns
  (`group_columns`, which include every name in `dims`), `count_column` (the true count),
  `rule_column` (null when no rule applies) and the boolean `hidden_primary` (the rule, or
  withheld by the publisher). For each dimension in `dims` (its total row has the value 'all'),
  a group = the cells that agree on every other grain column; its members are the cells whose
  dimension is not 'all'. When the total is shown and exactly one member is hidden, that member
  = total - the others: the smallest shown member is hidden too (ties broken by the dimension's
  value). Likewise when the total is hidden (as a member of another dimension) but all its
  members are shown, since their sum would give it away. A group whose members do not add up to the total (age bands that leave ages out) cannot
  be subtracted from and is left alone, unless a member's count is unknown (withheld by the
  publisher: then it is assumed to add up). Hiding a cell in one dimension can leave a single
  hidden cell in another, so the passes repeat `rounds` times (the disclosure test checks the
  result). Output CTE `<input_cte>_secondary`: the input's columns plus is_suppressed and
  suppression_reason ('primary' | 'secondary' | null).
-#}
{% macro secondary_suppression(input_cte, group_columns, count_column, rule_column, dims=['sex', 'age_group'], rounds=2) %}
{%- set carry = (['cell_id'] + dims + [count_column]) | unique | list -%}
{%- set ns = namespace(prev=input_cte ~ '_pass0', step=0) -%}
{#- only cells under a rule take part (a rule is per indicator, so a group is all in or all out);
    each dimension's group is one hashed key, so the windows partition on a single column -#}
{{ input_cte }}_pass0 as (
    select
        {{ carry | join(', ') }},
        {%- for dim in dims %}
        {{ dbt.hash(cell_key(group_columns | reject('equalto', dim) | list)) }} as group_{{ dim }},
        {%- endfor %}
        hidden_primary as hidden
    from {{ input_cte }}
    where {{ rule_column }} is not null
),
{%- for round in range(rounds) %}
{%- for dim in dims %}
{%- set ns.step = ns.step + 1 %}
{{ input_cte }}_pass{{ ns.step }} as (
    select
        {{ carry | join(', ') }},
        {%- for d in dims %}
        group_{{ d }},
        {%- endfor %}
        hidden or coalesce(
            {{ dim }} <> 'all'
            and not hidden
            -- a member without a count (not_available) shows nothing: never a complement
            and {{ count_column }} is not null
            and shown_rank = 1
            and n_members >= 2
            and (member_unknown = 1 or member_sum = total_count)
            and (
                -- a shown total with one hidden member: total - the others = the hidden one
                (total_shown = 1 and n_hidden_members = 1)
                -- a hidden total (hidden as a member of another dimension) whose members are
                -- all shown: their sum = the hidden total
                or (has_total = 1 and total_shown = 0 and n_hidden_members = 0)
            ),
            false
        ) as hidden
    from (
        select
            {{ ns.prev }}.*,
            sum(case when {{ dim }} <> 'all' and hidden then 1 else 0 end) over g as n_hidden_members,
            sum(case when {{ dim }} <> 'all' then 1 else 0 end) over g as n_members,
            max(case when {{ dim }} = 'all' then 1 else 0 end) over g as has_total,
            max(case when {{ dim }} = 'all' and not hidden then 1 else 0 end) over g as total_shown,
            max(case when {{ dim }} = 'all' then {{ count_column }} end) over g as total_count,
            sum(case when {{ dim }} <> 'all' then {{ count_column }} end) over g as member_sum,
            max(case when {{ dim }} <> 'all' and {{ count_column }} is null then 1 else 0 end) over g as member_unknown,
            row_number() over (
                partition by group_{{ dim }}, case when {{ dim }} <> 'all' and not hidden then 1 else 0 end
                order by {{ count_column }}, {{ dim }}
            ) as shown_rank
        from {{ ns.prev }}
        window g as (partition by group_{{ dim }})
    ) as grouped
),
{%- set ns.prev = input_cte ~ '_pass' ~ ns.step %}
{%- endfor %}
{%- endfor %}

{{ input_cte }}_secondary as (
    select
        {{ input_cte }}.*,
        coalesce({{ ns.prev }}.hidden, {{ input_cte }}.hidden_primary) as is_suppressed,
        case
            when {{ input_cte }}.hidden_primary then 'primary'
            when {{ ns.prev }}.hidden then 'secondary'
        end as suppression_reason
    from {{ input_cte }}
    left join {{ ns.prev }} on {{ input_cte }}.cell_id = {{ ns.prev }}.cell_id
)
{% endmacro %}


{#- A text key of a cell from its grain columns (null shown as <null>), for secondary_suppression's cell_id. -#}
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

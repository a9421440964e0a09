{#
  The disclosure check (used by tests/assert_publish_disclosure_safe.sql): compares what a publish
  view shows with the UNSUPPRESSED numbers in the mart it is built from, so a view that forgets
  the rule (or applies it to the wrong column) is caught, whatever its own is_suppressed says.

  disclosure_violations(view_name, published, truth, keys, published_columns, truth_count,
                        group_columns=none, dims=[])
    published          the publish view (relation)
    truth              the unsuppressed source of the view (relation or subquery in parentheses)
    keys               columns that join a published row to its truth row
    published_columns  every column of the view that carries the count or a number computed
                       from it (value, bounds, numerator, rates ...): all must be null when the
                       cell is hidden
    truth_count        SQL over the truth row (alias t) giving the number the rule is applied to
    group_columns      grain columns for the secondary check (include the dims); none = skip
    dims               breakdowns whose 'all' row is the published total of the others
    rules_sql          rules relation (default: indicator_suppression_rules()), joined by rule_on
    truth_withheld     SQL over t: the publisher withheld the number
  Each returned row is one violation: view, check, cell (the key values), detail.
  Checks:
    shown_below_rule        the truth is under the indicator's rule (or withheld by the publisher)
                            and the view shows a number for it
    suppressed_not_blank    the view flags the cell suppressed yet shows a number
    hidden_not_flagged      the rule hides the cell but is_suppressed is not true
    recoverable_by_subtraction  a shown total with exactly one hidden member (members adding up)
    recoverable_by_addition     a hidden total whose members, adding up to it, are all shown
#}
{% macro disclosure_violations(view_name, published, truth, keys, published_columns, truth_count, group_columns=none, dims=[],
                               rules_sql=none, rule_on='p.indicator_id = rules.indicator_id', truth_withheld="t.qualifier = 'suppressed'") %}
{%- set any_shown -%}
({% for c in published_columns %}p.{{ c }} is not null{% if not loop.last %} or {% endif %}{% endfor %})
{%- endset -%}
{%- set cell_expr -%}
concat_ws('|', {% for k in keys %}cast(p.{{ k }} as varchar){% if not loop.last %}, {% endif %}{% endfor %})
{%- endset -%}
with
rules as ({{ rules_sql if rules_sql else indicator_suppression_rules() }}),
joined as (
    select
        p.*,
        {{ cell_expr }} as disclosure_cell,
        {{ any_shown }} as disclosure_shown,
        rules.suppression_rule as disclosure_rule,
        {{ truth_count }} as disclosure_true_count,
        ({{ truth_withheld }}
         or {{ is_below_rule(truth_count, 'rules.suppress_below', 'rules.zero_is_shown') }}) as disclosure_must_hide
    from {{ published }} as p
    inner join {{ truth }} as t
        on {% for k in keys %}(p.{{ k }} = t.{{ k }} or (p.{{ k }} is null and t.{{ k }} is null)){% if not loop.last %} and {% endif %}{% endfor %}
    left join rules on {{ rule_on }}
),
violations as (
    select '{{ view_name }}' as view_name, 'shown_below_rule' as check_name, disclosure_cell as cell,
           'true count ' || coalesce(cast(disclosure_true_count as varchar), 'withheld') || ' under ' || coalesce(disclosure_rule, 'publisher') as detail
    from joined where disclosure_must_hide and disclosure_shown
    union all
    select '{{ view_name }}', 'suppressed_not_blank', disclosure_cell, 'is_suppressed but a number is shown'
    from joined where is_suppressed and disclosure_shown
    union all
    select '{{ view_name }}', 'hidden_not_flagged', disclosure_cell, 'hidden by ' || coalesce(disclosure_rule, 'publisher') || ' but is_suppressed is not true'
    from joined where disclosure_must_hide and not coalesce(is_suppressed, false)
{%- if group_columns %}
{%- for dim in dims %}
{%- set part = group_columns | reject('equalto', dim) | join(', ') %}
    union all
    select '{{ view_name }}', check_name, cell, detail from (
        select
            case when total_shown = 1 then 'recoverable_by_subtraction' else 'recoverable_by_addition' end as check_name,
            disclosure_cell as cell,
            '{{ dim }} group: ' || cast(n_hidden as varchar) || ' of ' || cast(n_members as varchar)
                || ' members hidden, total ' || case when total_shown = 1 then 'shown' else 'hidden' end as detail,
            n_hidden, n_members, total_shown, has_total, adds_up, {{ dim }} as dim_value
        from (
            select
                joined.*,
                sum(case when {{ dim }} <> 'all' and not disclosure_shown then 1 else 0 end) over g as n_hidden,
                sum(case when {{ dim }} <> 'all' then 1 else 0 end) over g as n_members,
                max(case when {{ dim }} = 'all' then 1 else 0 end) over g as has_total,
                max(case when {{ dim }} = 'all' and disclosure_shown then 1 else 0 end) over g as total_shown,
                case
                    when max(case when {{ dim }} <> 'all' and disclosure_true_count is null then 1 else 0 end) over g = 1 then true
                    else sum(case when {{ dim }} <> 'all' then disclosure_true_count end) over g
                         = max(case when {{ dim }} = 'all' then disclosure_true_count end) over g
                end as adds_up
            from joined
            where disclosure_rule is not null
            window g as (partition by {{ part }})
        ) as groups
    ) as checked
    where dim_value = 'all' and has_total = 1 and n_members >= 2 and adds_up
      and ((total_shown = 1 and n_hidden = 1) or (total_shown = 0 and n_hidden = 0))
{%- endfor %}
{%- endif %}
)
select * from violations
{% endmacro %}

-- Every distinct period in fct_observations (all vintages). Key: period_id (= period_type:start/end).
-- Mixed frequencies are aligned upward through this table (year and month of period_start),
-- never split: an ISO week is filed under the year and month it starts in.
with

periods as (
    select distinct period_type, period_start, period_end
    from {{ ref('fct_observations') }}
),

labelled as (
    select
        {{ dbt.concat([
            'period_type', "':'",
            "coalesce(cast(period_start as " ~ dbt.type_string() ~ "), '')", "'/'",
            "coalesce(cast(period_end as " ~ dbt.type_string() ~ "), '')"
        ]) }} as period_id,
        period_type,
        period_start,
        period_end,
        {{ date_part('year', 'period_start') }} as year,
        {{ date_part('month', 'period_start') }} as month,
        case
            when period_type = 'unspecified' then 'unspecified period'
            when period_type = 'year' then cast({{ date_part('year', 'period_start') }} as {{ dbt.type_string() }})
            when period_type = 'point' then cast(period_start as {{ dbt.type_string() }})
            -- ISO week of the Monday it starts on (ISO year can differ from the calendar year)
            when period_type = 'iso_week' then {{ dbt.concat([
                'cast(' ~ date_part('isoyear', 'period_start') ~ ' as ' ~ dbt.type_string() ~ ')', "'-W'",
                'lpad(cast(' ~ date_part('week', 'period_start') ~ ' as ' ~ dbt.type_string() ~ "), 2, '0')"
            ]) }}
            when period_type = 'month' then {{ dbt.concat([
                'cast(' ~ date_part('year', 'period_start') ~ ' as ' ~ dbt.type_string() ~ ')', "'-'",
                'lpad(cast(' ~ date_part('month', 'period_start') ~ ' as ' ~ dbt.type_string() ~ "), 2, '0')"
            ]) }}
            when period_type = 'twelve_months_ending' then {{ dbt.concat([
                "'12 months ending '",
                'cast(' ~ date_part('year', 'period_end') ~ ' as ' ~ dbt.type_string() ~ ')', "'-'",
                'lpad(cast(' ~ date_part('month', 'period_end') ~ ' as ' ~ dbt.type_string() ~ "), 2, '0')"
            ]) }}
            else {{ dbt.concat([
                'cast(period_start as ' ~ dbt.type_string() ~ ')', "' to '",
                'cast(period_end as ' ~ dbt.type_string() ~ ')'
            ]) }}
        end as label
    from periods
)

select
    cast(period_id as varchar) as period_id,
    cast(period_type as varchar) as period_type,
    cast(period_start as date) as period_start,
    cast(period_end as date) as period_end,
    cast(year as integer) as year,
    cast(month as integer) as month,
    cast(label as varchar) as label
from labelled

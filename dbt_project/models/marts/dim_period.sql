-- Every distinct period in fct_observations. Key: period_id (= period_type:start/end).
-- Mixed frequencies are aligned upward through this table (year of period_start), never split.
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
        case
            when period_type = 'unspecified' then 'unspecified period'
            when period_type = 'year' then cast({{ date_part('year', 'period_start') }} as {{ dbt.type_string() }})
            when period_type = 'point' then cast(period_start as {{ dbt.type_string() }})
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
    cast(label as varchar) as label
from labelled

-- The calendar: every distinct period in fct_observations (all vintages) plus a complete calendar of
-- years, half-years, quarters and months over the years the data covers, so any series can be
-- rolled up. Key: period_id (= period_type:start/end).
-- Mixed frequencies meet only by aggregating UPWARD through the roll-up columns of period_start
-- (year, half_year, quarter, month, iso_year/iso_week): an ISO week is filed under the year and
-- month it starts in; a survey round (its two-week reference period) under the week, month and
-- year its reference period starts in. Nothing is ever split downward. Shares are recomputed from
-- summed counts after rolling up, never averaged.
{% set ts = dbt.type_string() %}
with

observed as (
    select distinct period_type, period_start, period_end
    from {{ ref('fct_observations') }}
),

digits as (
    select 0 as d union all select 1 union all select 2 union all select 3 union all select 4
    union all select 5 union all select 6 union all select 7 union all select 8 union all select 9
),

year_span as (
    select
        min({{ date_part('year', 'period_start') }}) as first_year,
        max({{ date_part('year', 'period_end') }}) as last_year
    from observed
    where period_start is not null
),

years as (
    select cast(year_span.first_year + tens.d * 10 + ones.d as integer) as year
    from year_span
    cross join digits as tens
    cross join digits as ones
    where year_span.first_year + tens.d * 10 + ones.d <= year_span.last_year
),

months as (
    select cast(d1.d * 10 + d2.d + 1 as integer) as month_no
    from digits as d1 cross join digits as d2
    where d1.d * 10 + d2.d < 12
),

year_starts as (
    select year, cast({{ dbt.concat(['cast(year as ' ~ ts ~ ')', "'-01-01'"]) }} as date) as jan1
    from years
),

generated as (
    select 'year' as period_type, jan1 as period_start,
           cast({{ dbt.dateadd('day', -1, dbt.dateadd('year', 1, 'jan1')) }} as date) as period_end
    from year_starts
    union all
    select 'half_year',
           cast({{ dbt.dateadd('month', '6 * (months.month_no - 1)', 'jan1') }} as date),
           cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', '6 * months.month_no', 'jan1')) }} as date)
    from year_starts cross join months where months.month_no <= 2
    union all
    select 'quarter',
           cast({{ dbt.dateadd('month', '3 * (months.month_no - 1)', 'jan1') }} as date),
           cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', '3 * months.month_no', 'jan1')) }} as date)
    from year_starts cross join months where months.month_no <= 4
    union all
    select 'month',
           cast({{ dbt.dateadd('month', 'months.month_no - 1', 'jan1') }} as date),
           cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 'months.month_no', 'jan1')) }} as date)
    from year_starts cross join months
),

periods as (
    select period_type, period_start, period_end, true as is_observed from observed
    union all
    select generated.period_type, generated.period_start, generated.period_end, false
    from generated
    where not exists (
        select 1 from observed
        where observed.period_type = generated.period_type
          and observed.period_start = generated.period_start
          and observed.period_end = generated.period_end
    )
),

labelled as (
    select
        {{ dbt.concat([
            'period_type', "':'",
            "coalesce(cast(period_start as " ~ ts ~ "), '')", "'/'",
            "coalesce(cast(period_end as " ~ ts ~ "), '')"
        ]) }} as period_id,
        period_type,
        period_start,
        period_end,
        {{ date_part('year', 'period_start') }} as year,
        case when {{ date_part('month', 'period_start') }} <= 6 then 1 else 2 end as half_year,
        {{ date_part('quarter', 'period_start') }} as quarter,
        {{ date_part('month', 'period_start') }} as month,
        {{ date_part('isoyear', 'period_start') }} as iso_year,
        {{ date_part('week', 'period_start') }} as iso_week,
        {{ dbt.datediff('period_start', 'period_end', 'day') }} + 1 as n_days,
        -- a survey round's period is the two-week reference period; the survey is sent out the
        -- Monday after it ends, and the round is named after that Monday's ISO week
        case when period_type = 'survey_round' then period_start end as reference_start,
        case when period_type = 'survey_round' then period_end end as reference_end,
        case when period_type = 'survey_round' then {{ dbt.dateadd('day', 1, 'period_end') }} end as survey_monday,
        is_observed,
        case
            when period_type = 'unspecified' then 'unspecified period'
            when period_type = 'year' then cast({{ date_part('year', 'period_start') }} as {{ ts }})
            when period_type = 'half_year' then {{ dbt.concat([
                'cast(' ~ date_part('year', 'period_start') ~ ' as ' ~ ts ~ ')', "'-H'",
                'cast(case when ' ~ date_part('month', 'period_start') ~ ' <= 6 then 1 else 2 end as ' ~ ts ~ ')'
            ]) }}
            when period_type = 'quarter' then {{ dbt.concat([
                'cast(' ~ date_part('year', 'period_start') ~ ' as ' ~ ts ~ ')', "'-Q'",
                'cast(' ~ date_part('quarter', 'period_start') ~ ' as ' ~ ts ~ ')'
            ]) }}
            when period_type = 'point' then cast(period_start as {{ ts }})
            -- ISO week of the Monday it starts on (ISO year can differ from the calendar year)
            when period_type = 'iso_week' then {{ dbt.concat([
                'cast(' ~ date_part('isoyear', 'period_start') ~ ' as ' ~ ts ~ ')', "'-W'",
                'lpad(cast(' ~ date_part('week', 'period_start') ~ ' as ' ~ ts ~ "), 2, '0')"
            ]) }}
            when period_type = 'survey_round' then {{ dbt.concat([
                "'survey '",
                'cast(' ~ date_part('isoyear', dbt.dateadd('day', 1, 'period_end')) ~ ' as ' ~ ts ~ ')', "'-W'",
                'lpad(cast(' ~ date_part('week', dbt.dateadd('day', 1, 'period_end')) ~ ' as ' ~ ts ~ "), 2, '0')",
                "' (reference '", 'cast(period_start as ' ~ ts ~ ')', "' to '", 'cast(period_end as ' ~ ts ~ ')', "')'"
            ]) }}
            when period_type = 'month' then {{ dbt.concat([
                'cast(' ~ date_part('year', 'period_start') ~ ' as ' ~ ts ~ ')', "'-'",
                'lpad(cast(' ~ date_part('month', 'period_start') ~ ' as ' ~ ts ~ "), 2, '0')"
            ]) }}
            when period_type = 'twelve_months_ending' then {{ dbt.concat([
                "'12 months ending '",
                'cast(' ~ date_part('year', 'period_end') ~ ' as ' ~ ts ~ ')', "'-'",
                'lpad(cast(' ~ date_part('month', 'period_end') ~ ' as ' ~ ts ~ "), 2, '0')"
            ]) }}
            else {{ dbt.concat([
                'cast(period_start as ' ~ ts ~ ')', "' to '",
                'cast(period_end as ' ~ ts ~ ')'
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
    cast(half_year as integer) as half_year,
    cast(quarter as integer) as quarter,
    cast(month as integer) as month,
    cast(iso_year as integer) as iso_year,
    cast(iso_week as integer) as iso_week,
    cast(n_days as integer) as n_days,
    cast(reference_start as date) as reference_start,
    cast(reference_end as date) as reference_end,
    cast(survey_monday as date) as survey_monday,
    cast(is_observed as boolean) as is_observed,
    cast(label as varchar) as label
from labelled

-- Tempe ambulance incidents counted into observations, per load (vintage):
--   overdose_callouts        every opioid-related incident in the period (unit callouts)
--   naloxone_given_callouts  those where naloxone was given (a real 0 when none was)
-- at three frequencies, each counted straight from the incidents (never from each other):
--   iso_week  Monday..Sunday (date_trunc week is the ISO Monday)
--   month     calendar month
--   year      calendar year
-- Months nest in years, so months sum to years; ISO weeks cross month and year boundaries, so
-- weeks are only ever aligned upward through dim_period, never split into days.
-- A period with no incident has no row (the file lists incidents, not periods).
-- Lineage: source_row is the first (MIN) file line among the counted incidents; detail says how
-- many incidents were counted, and flags periods that run past the last incident of the file.
-- is_period_incomplete is that flag as a boolean (mart_trend_stats leaves such years out); it is
-- not carried into fct_observations, whose columns every source shares.
with

incidents as (
    select * from {{ ref('stg_tempe_ems__opioid_calls') }}
),

coverage as (
    select load_id, max(incident_date) as last_incident_date
    from incidents
    group by load_id
),

stamped as (
    select 'iso_week' as period_type,
           cast({{ dbt.date_trunc('week', 'incident_date') }} as date) as period_start,
           incidents.*
    from incidents
    union all
    select 'month' as period_type,
           cast({{ dbt.date_trunc('month', 'incident_date') }} as date) as period_start,
           incidents.*
    from incidents
    union all
    select 'year' as period_type,
           cast({{ dbt.date_trunc('year', 'incident_date') }} as date) as period_start,
           incidents.*
    from incidents
),

counted as (
    select
        load_id,
        source_file,
        loaded_at,
        period_type,
        period_start,
        cast(count(*) as bigint) as n_incidents,
        cast(sum(case when is_naloxone_given then 1 else 0 end) as bigint) as n_naloxone,
        min(source_row) as first_source_row,
        min(case when is_naloxone_given then source_row end) as first_naloxone_source_row
    from stamped
    group by load_id, source_file, loaded_at, period_type, period_start
),

bounded as (
    select
        counted.*,
        cast(case period_type
            when 'iso_week' then {{ dbt.dateadd('day', 6, 'period_start') }}
            when 'month' then {{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'period_start')) }}
            else {{ dbt.dateadd('day', -1, dbt.dateadd('year', 1, 'period_start')) }}
        end as date) as period_end
    from counted
),

flagged as (
    select
        bounded.*,
        bounded.period_end > coverage.last_incident_date as is_period_incomplete,
        case
            when bounded.period_end > coverage.last_incident_date
                then {{ dbt.concat([
                    "'; period runs past the last incident in the file ('",
                    'cast(coverage.last_incident_date as ' ~ dbt.type_string() ~ ')',
                    "'): count incomplete'"
                ]) }}
            else ''
        end as coverage_note
    from bounded
    inner join coverage on bounded.load_id = coverage.load_id
),

unpivoted as (
    select
        'overdose_callouts' as indicator_id,
        period_type, period_start, period_end,
        n_incidents as n_counted,
        first_source_row as source_row,
        {{ dbt.concat(["'count of '", 'cast(n_incidents as ' ~ dbt.type_string() ~ ')', "' incidents'", 'coverage_note']) }} as detail,
        is_period_incomplete,
        load_id, source_file, loaded_at
    from flagged
    union all
    select
        'naloxone_given_callouts' as indicator_id,
        period_type, period_start, period_end,
        n_naloxone as n_counted,
        -- a period with no naloxone is a counted 0: its lineage is the period's first incident
        coalesce(first_naloxone_source_row, first_source_row) as source_row,
        {{ dbt.concat([
            "'count of '", 'cast(n_naloxone as ' ~ dbt.type_string() ~ ')',
            "' incidents (naloxone given) of '", 'cast(n_incidents as ' ~ dbt.type_string() ~ ')', "' incidents'",
            'coverage_note'
        ]) }} as detail,
        is_period_incomplete,
        load_id, source_file, loaded_at
    from flagged
)

select
    indicator_id,
    'city_usa_tempe' as geo_code,
    period_type,
    period_start,
    period_end,
    -- the export lists incidents where opioid use was suspected
    'opioids' as substance_id,
    'all' as sex,
    'all' as age_group,
    'all' as breakdown,
    cast(n_counted as double precision) as value,
    cast(null as double precision) as value_low,
    cast(null as double precision) as value_high,
    'exact' as qualifier,
    cast(null as double precision) as numerator,
    cast(null as double precision) as denominator,
    'callouts' as unit,
    false as is_provisional,
    loaded_at as vintage,
    detail,
    'tempe_ems' as source_id,
    load_id,
    source_file,
    source_row,
    cast(null as integer) as source_column,
    is_period_incomplete
from unpivoted

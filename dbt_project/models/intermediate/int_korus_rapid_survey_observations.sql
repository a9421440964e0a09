-- Rapid survey rows in the harmonised long form. Each raw row gives up to two observations:
--   survey_<question>_count  the yes-count (unit persons), when printed
--   survey_<question>_share  the printed percentage (numerator/denominator = the counts), or,
--                            when the report printed none but both counts exist, 100*yes/n
--                            rounded to one decimal with qualifier `derived`
-- The printed percentage is kept even where it disagrees with the counts (week 4 "10 of 89"
-- printed as 10 %): a quality test reports it instead of silently fixing it.
with

rounds as (
    select * from {{ ref('int_korus_rapid_survey_rounds_geocoded') }}
),

counts as (
    select
        {{ dbt.concat(["'survey_'", 'question_id', "'_count'"]) }} as indicator_id,
        geo_code,
        cast(yes_count as double precision) as value,
        cast(null as double precision) as numerator,
        cast(null as double precision) as denominator,
        qualifier,
        'persons' as unit,
        survey_round, reference_start, reference_end, loaded_at, load_id, source_file, source_row
    from rounds
    where yes_count is not null
),

shares as (
    select
        {{ dbt.concat(["'survey_'", 'question_id', "'_share'"]) }} as indicator_id,
        geo_code,
        coalesce(reported_pct, round(share_pct, 1)) as value,
        cast(yes_count as double precision) as numerator,
        cast(respondents as double precision) as denominator,
        case when reported_pct is null then 'derived' else qualifier end as qualifier,
        'percent' as unit,
        survey_round, reference_start, reference_end, loaded_at, load_id, source_file, source_row
    from rounds
    where reported_pct is not null or share_pct is not null
),

unioned as (
    select * from counts
    union all
    select * from shares
)

select
    indicator_id,
    geo_code,
    'survey_round' as period_type,
    reference_start as period_start,
    reference_end as period_end,
    -- the survey questions are about drug scenes in general, not one substance
    'all' as substance_id,
    'all' as sex,
    'all' as age_group,
    'all' as breakdown,
    value,
    cast(null as double precision) as value_low,
    cast(null as double precision) as value_high,
    qualifier,
    numerator,
    denominator,
    unit,
    false as is_provisional,
    loaded_at as vintage,
    survey_round as detail,
    'korus_rapid_survey' as source_id,
    load_id,
    source_file,
    source_row,
    cast(null as integer) as source_column
from unioned

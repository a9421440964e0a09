-- Rapid survey rounds with shares and honest uncertainty. One row per survey round, geography
-- and question (= one survey file line of the current load).
--   share_pct       100*yes/respondents recomputed from the counts (null unless both exist)
--   share_low/high  Wilson score 95 % interval from the counts (macros/wilson_interval.sql),
--                   rounded to 2 decimals for display
--   pct_check       does the percentage the report printed agree with the counts within one
--                   percentage point? (reports truncate, so 1 point is allowed)
with

rounds as (
    select * from {{ ref('int_korus_rapid_survey_rounds_geocoded') }}
    -- the current load only: earlier vintages live on in fct_observations
    where is_latest_load
),

geographies as (select * from {{ ref('dim_geography') }}),
questions as (select * from {{ ref('survey_questions') }}),
sources as (select * from {{ ref('dim_source') }})

select
    cast(rounds.survey_round as varchar) as survey_round,
    cast(rounds.survey_monday as date) as survey_monday,
    cast(rounds.reference_start as date) as reference_start,
    cast(rounds.reference_end as date) as reference_end,
    cast(rounds.geo_code as varchar) as geo_code,
    cast(geographies.name_nb as varchar) as geo_name,
    cast(geographies.geo_level as varchar) as geo_level,
    cast(rounds.question_id as varchar) as question_id,
    cast(questions.question_nb as varchar) as question_nb,
    cast(questions.question_en as varchar) as question_en,
    cast(rounds.yes_count as integer) as yes_count,
    cast(rounds.respondents as integer) as respondents,
    cast(rounds.reported_pct as double) as reported_pct,
    -- shown to 2 decimals; pct_check below compares the unrounded share
    cast(round(rounds.share_pct, 2) as double) as share_pct,
    cast(round({{ wilson_bound('rounds.yes_count', 'rounds.respondents', 'low') }}, 2) as double) as share_low_pct,
    cast(round({{ wilson_bound('rounds.yes_count', 'rounds.respondents', 'high') }}, 2) as double) as share_high_pct,
    cast(rounds.qualifier as varchar) as qualifier,
    cast(case
        when rounds.reported_pct is null or rounds.share_pct is null then 'not_checkable'
        when abs(rounds.reported_pct - rounds.share_pct) <= 1 then 'consistent'
        else 'inconsistent'
    end as varchar) as pct_check,
    cast(rounds.source_id as varchar) as source_id,
    cast(sources.source_label as varchar) as source_label,
    cast(rounds.source_file as varchar) as source_file,
    cast(rounds.source_row as integer) as source_row
from rounds
left join geographies on rounds.geo_code = geographies.geo_code
left join questions on rounds.question_id = questions.question_id
left join sources on rounds.source_id = sources.source_id

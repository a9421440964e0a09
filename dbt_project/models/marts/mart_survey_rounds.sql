-- Rapid survey rounds with shares and honest uncertainty. One row per survey round, geography
-- and question (= one survey file line of the current load).
--   share_pct       100*yes/respondents recomputed from the counts (null unless both exist)
--   share_low/high  Wilson score 95 % interval from the counts (macros/wilson_interval.sql),
--                   rounded to 2 decimals for display
--   pct_check       does the percentage the report printed agree with the counts within one
--                   percentage point? (reports truncate, so 1 point is allowed)
--   share_change_pp round-over-round change of share_pct against the previous round of the same
--                   region and question, in percentage points (null without counts in both).
--   share_change_low_pp/high_pp  Newcombe's hybrid score 95 % interval for a difference of two
--                   proportions (Newcombe 1998, method 10), built from the two Wilson intervals:
--                   d - sqrt((p1-l1)^2 + (u2-p2)^2) .. d + sqrt((u1-p1)^2 + (p2-l2)^2).
--                   It treats the rounds as independent samples; the respondents are largely the
--                   same municipalities each round (positively correlated answers), so the interval
--                   is, if anything, too wide, never too narrow.
with

rounds as (
    select * from {{ ref('int_korus_rapid_survey_rounds_geocoded') }}
    -- the current load only: earlier vintages live on in fct_observations
    where is_latest_load
),

with_wilson as (
    select
        rounds.*,
        {{ wilson_bound('rounds.yes_count', 'rounds.respondents', 'low') }} / 100.0 as wilson_low,
        {{ wilson_bound('rounds.yes_count', 'rounds.respondents', 'high') }} / 100.0 as wilson_high,
        rounds.share_pct / 100.0 as share
    from rounds
),

with_previous as (
    select
        with_wilson.*,
        lag(survey_round) over w as previous_survey_round,
        lag(share) over w as previous_share,
        lag(wilson_low) over w as previous_wilson_low,
        lag(wilson_high) over w as previous_wilson_high
    from with_wilson
    window w as (partition by geo_code, question_id order by survey_monday, survey_round)
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
    cast(rounds.previous_survey_round as varchar) as previous_survey_round,
    cast(round(100.0 * (rounds.share - rounds.previous_share), 2) as double) as share_change_pp,
    cast(round(100.0 * (
        (rounds.share - rounds.previous_share)
        - sqrt(power(rounds.share - rounds.wilson_low, 2) + power(rounds.previous_wilson_high - rounds.previous_share, 2))
    ), 2) as double) as share_change_low_pp,
    cast(round(100.0 * (
        (rounds.share - rounds.previous_share)
        + sqrt(power(rounds.wilson_high - rounds.share, 2) + power(rounds.previous_share - rounds.previous_wilson_low, 2))
    ), 2) as double) as share_change_high_pp,
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
from with_previous as rounds
left join geographies on rounds.geo_code = geographies.geo_code
left join questions on rounds.question_id = questions.question_id
left join sources on rounds.source_id = sources.source_id

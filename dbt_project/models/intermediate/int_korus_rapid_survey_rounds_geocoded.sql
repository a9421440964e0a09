-- Rapid survey rows of every load with harmonised geography and the share recomputed from the
-- counts. One row per load, survey round, region and question (is_latest_load marks the current
-- load: mart_survey_rounds keeps only that one, the observations keep every vintage). Feeds both the long-form
-- observations and mart_survey_rounds, so the two can never disagree.
with

rounds as (
    select * from {{ ref('stg_korus_rapid_survey__rounds') }}
),

geo_map as (
    select source_label, geo_code
    from {{ ref('geography_labels') }}
    where source_id = 'korus_rapid_survey'
),

geocoded as (
    select
        rounds.survey_id,
        rounds.survey_round,
        rounds.survey_monday,
        rounds.reference_start,
        rounds.reference_end,
        rounds.region_label,
        geo_map.geo_code,
        rounds.question_id,
        rounds.yes_count,
        rounds.respondents,
        rounds.reported_pct,
        -- recomputed, unrounded; null unless both counts are known
        case
            when rounds.yes_count is not null and rounds.respondents > 0
                then 100.0 * rounds.yes_count / rounds.respondents
        end as share_pct,
        rounds.qualifier,
        rounds.source_document,
        rounds.source_section,
        'korus_rapid_survey' as source_id,
        rounds.loaded_at,
        rounds.is_latest_load,
        rounds.load_id,
        rounds.source_file,
        rounds.source_row
    from rounds
    left join geo_map
        on rounds.region_label = geo_map.source_label
)

select * from geocoded
